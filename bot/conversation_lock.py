"""One message at a time per conversation, across every API process.

Rasa's own RedisLockStore (3.6) hands out its tickets with a non-atomic read-modify-write, so two
Rasa servers can work on one conversation at once and the tracker store then drops events. The API
therefore takes its own lock around a whole turn (store, triage, Rasa, reply): redis-py's Lock (an
atomic SET NX PX, released by a script that checks the owner), with a lease so that a killed API
process cannot hold a conversation for ever. Without REDIS_URL (one process on a developer's
machine) an in-process lock does the same.

A message that cannot get the lock in time is still stored and triaged by the caller: the lock only
decides whether Rasa is asked. At most MAX_WAITING messages of one conversation wait in a process;
more are answered at once: a client sending dozens at the same time cannot tie up the API's workers.
"""
import logging
import threading
from contextlib import contextmanager
from typing import Dict, Iterator, Optional

import redis
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)
KEY_PREFIX = "chat-turn:"  # beside Rasa's own "lock:<sender>" keys, never the same
MAX_WAITING = 3


class ConversationLocks:
    """``hold(conversation_id)`` yields True while this turn holds the conversation, False when it
    could not get it within ``wait_seconds`` (another turn still busy, or Redis unreachable)."""

    def __init__(self, redis_url: Optional[str], lease_seconds: float, wait_seconds: float):
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self._redis_url = redis_url
        self._redis: Optional[redis.Redis] = None
        self._local: Dict[str, threading.Lock] = {}
        self._local_users: Dict[str, int] = {}
        self._waiting: Dict[str, int] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()

    def _client(self) -> redis.Redis:
        if self._redis is None:  # made on first use: no connection at import or start-up
            self._redis = redis.Redis.from_url(self._redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
        return self._redis

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[bool]:
        with self._guard:
            waiting = self._waiting.get(conversation_id, 0)
            if waiting >= MAX_WAITING + 1:  # one holding, MAX_WAITING waiting: no more
                crowded = True
            else:
                crowded = False
                self._waiting[conversation_id] = waiting + 1
        if crowded:
            log.warning("more than %d messages of one conversation at once: answered without waiting", MAX_WAITING)
            yield False
            return
        try:
            if self._redis_url:
                with self._hold_redis(conversation_id) as held:
                    yield held
            else:
                with self._hold_local(conversation_id) as held:
                    yield held
        finally:
            with self._guard:
                self._waiting[conversation_id] -= 1
                if not self._waiting[conversation_id]:
                    del self._waiting[conversation_id]

    @contextmanager
    def _hold_redis(self, conversation_id: str) -> Iterator[bool]:
        lock = self._client().lock(KEY_PREFIX + conversation_id, timeout=self.lease_seconds, sleep=0.05,
                                   blocking_timeout=self.wait_seconds)
        try:
            held = bool(lock.acquire())
        except RedisError as exc:
            log.warning("conversation lock unavailable (%s): the message is stored and triaged, not answered", exc)
            held = False
        try:
            yield held
        finally:
            if held:
                try:
                    lock.release()
                except LockError:  # the lease ran out during a long turn: another turn may have started
                    log.warning("conversation lock lease of %.0f s ran out before the turn ended", self.lease_seconds)
                except RedisError as exc:
                    log.warning("conversation lock not released (%s); it expires after its lease", exc)

    @contextmanager
    def _hold_local(self, conversation_id: str) -> Iterator[bool]:
        with self._guard:
            lock = self._local.setdefault(conversation_id, threading.Lock())
            self._local_users[conversation_id] = self._local_users.get(conversation_id, 0) + 1
        held = lock.acquire(timeout=self.wait_seconds)
        try:
            yield held
        finally:
            if held:
                lock.release()
            with self._guard:  # forget a conversation's lock when nobody waits for it
                self._local_users[conversation_id] -= 1
                if not self._local_users[conversation_id]:
                    del self._local_users[conversation_id], self._local[conversation_id]
