# Two commands for users (see README): `make run` and `make test`. The rest is for developers.
.PHONY: run test setup train validate bench report compare clean

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

# Measures the API stack against bare `rasa run` (about 15 minutes with training); see README "Benchmark".
bench: setup
	.venv/bin/python -m bot bench

# Evaluation report (Markdown + PNG) in var/report/<model>/; ARGS e.g. "--folds 2" or "--previous models/<old>.tar.gz".
report: setup
	.venv/bin/python -m bot report $(ARGS)

# Two models side by side: make compare A=models/<old>.tar.gz B=models/<new>.tar.gz
compare:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=models/<old>.tar.gz B=models/<new>.tar.gz"; exit 2; }
	bash scripts/setup.sh
	.venv/bin/python -m bot compare $(A) $(B) $(ARGS)

clean:
	rm -rf var models .pytest_cache
