# Two commands for users (see README): `make run` and `make test`. The rest is for developers.
.PHONY: run test setup train validate clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

train: setup
	.venv/bin/python -m bot train

validate: setup
	.venv/bin/python -m bot validate

clean:
	rm -rf var models .pytest_cache
