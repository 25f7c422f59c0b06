"""bot/conversation_lock.py: one turn at a time per conversation, on the real Redis (two
ConversationLocks objects stand for two API processes) and in process."""
import threading
import time

import pytest

from bot.conversation_lock import KEY_PREFIX, ConversationLocks
from bot.stack import free_port
from tests.services import redis_test_url


@pytest.fixture
def redis_url():
    import redis

    url = redis_test_url()
    yield url
    client = redis.Redis.from_url(url, socket_timeout=5)
    for key in client.scan_iter(f"{KEY_PREFIX}*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["redis", "in-process"])
def two_holders(request, redis_url):
    url = redis_url if request.param == "redis" else None
    one = ConversationLocks(url, lease_seconds=10, wait_seconds=0.3)
    two = one if url is None else ConversationLocks(url, lease_seconds=10, wait_seconds=0.3)
    yield one, two
    one.close()
    two.close()


def test_a_second_turn_waits_then_gives_up_while_the_first_holds(two_holders):
    one, two = two_holders
    with one.hold("conv-a") as first:
        assert first
        started = time.monotonic()
        with two.hold("conv-a") as second:
            waited = time.monotonic() - started
            assert not second and 0.25 <= waited < 2.0
        with two.hold("conv-b") as other:  # another conversation is not held up
            assert other
    with two.hold("conv-a") as after:
        assert after


def test_a_waiting_turn_goes_on_as_soon_as_the_first_one_ends(two_holders):
    one, two = two_holders
    two.wait_seconds = 5
    order = []
    entered = threading.Event()

    def first():
        with one.hold("conv-c") as held:
            entered.set()
            order.append(("first", held))
            time.sleep(0.4)
            order.append(("first done", held))

    thread = threading.Thread(target=first)
    thread.start()
    entered.wait(5)
    with two.hold("conv-c") as held:
        order.append(("second", held))
    thread.join()
    assert order == [("first", True), ("first done", True), ("second", True)]


def test_the_lease_frees_a_conversation_whose_process_died(redis_url):
    dead = ConversationLocks(redis_url, lease_seconds=0.5, wait_seconds=0.1)
    alive = ConversationLocks(redis_url, lease_seconds=10, wait_seconds=2)
    holding = dead.hold("conv-d")
    assert holding.__enter__()  # and never leaves: as after kill -9
    started = time.monotonic()
    with alive.hold("conv-d") as held:
        assert held and time.monotonic() - started < 1.5
    dead.close()
    alive.close()


def test_a_turn_longer_than_its_lease_does_not_free_the_next_turns_lock(redis_url):
    slow = ConversationLocks(redis_url, lease_seconds=0.3, wait_seconds=1)
    other = ConversationLocks(redis_url, lease_seconds=10, wait_seconds=1)
    third = ConversationLocks(redis_url, lease_seconds=10, wait_seconds=0.2)
    slow_turn = slow.hold("conv-e")
    assert slow_turn.__enter__()
    time.sleep(0.5)  # its lease ran out
    next_turn = other.hold("conv-e")
    assert next_turn.__enter__()
    slow_turn.__exit__(None, None, None)  # the slow turn ends: its release must leave the next turn's lock alone
    with third.hold("conv-e") as held:
        assert not held
    next_turn.__exit__(None, None, None)
    with third.hold("conv-e") as held:
        assert held
    for locks in (slow, other, third):
        locks.close()


def test_unreachable_redis_gives_no_lock_quickly_and_raises_nothing():
    locks = ConversationLocks(f"redis://127.0.0.1:{free_port()}/0", lease_seconds=10, wait_seconds=5)
    started = time.monotonic()
    with locks.hold("conv-g") as held:
        assert not held
    assert time.monotonic() - started < 3.0
    locks.close()


def test_the_in_process_locks_forget_a_conversation_nobody_waits_for():
    locks = ConversationLocks(None, lease_seconds=10, wait_seconds=1)
    for i in range(50):
        with locks.hold(f"conv-{i}") as held:
            assert held
    assert locks._local == {} and locks._local_users == {}


@pytest.mark.parametrize("backend", ["redis", "in-process"])
def test_at_most_a_few_messages_of_one_conversation_wait_the_rest_are_answered_at_once(redis_url, backend):
    from bot.conversation_lock import MAX_WAITING

    locks = ConversationLocks(redis_url if backend == "redis" else None, lease_seconds=10, wait_seconds=3)
    release, results = threading.Event(), []

    def turn():
        with locks.hold("conv-h") as held:
            results.append(("held", held))
            release.wait(5)

    holder = threading.Thread(target=turn)
    holder.start()
    time.sleep(0.2)
    waiters = [threading.Thread(target=turn) for _ in range(MAX_WAITING)]
    for w in waiters:
        w.start()
    time.sleep(0.2)
    started = time.monotonic()
    with locks.hold("conv-h") as extra:  # one too many: no waiting at all
        assert not extra and time.monotonic() - started < 0.1
    with locks.hold("conv-other") as other:
        assert other
    release.set()
    for t in [holder, *waiters]:
        t.join(10)
    assert [r for r in results if r[1]] == [("held", True)] * (MAX_WAITING + 1)  # the waiters had their turns
    assert locks._waiting == {}
    locks.close()
