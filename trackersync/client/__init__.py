"""Symbl Trackers Management API client (docs/api-contract.md).

Public surface::

    from trackersync.client import SymblClient, Credentials
    creds = Credentials.from_env(prefix="SYMBL_", environ=os.environ)
    client = SymblClient(base_url, creds)
    client.list_trackers()
    client.create_trackers(trackers); client.update_tracker(id, tracker)
    client.delete_tracker(id); client.request_count; client.close()

Modules: ``auth`` (credentials, token life cycle), ``transport`` (requests, serial lock,
logging), ``retrying`` (urllib3 Retry policy), ``chunking`` (1 MB bodies), ``listing``
(list shapes, pagination hints), ``reconcile`` (ambiguous-create resolution), ``api``
(the typed operations).

What the client does about each fault (tested against the emulator in tests/client):

=====================================  ===============================================
fault                                  behaviour
=====================================  ===============================================
429 (concurrency 1)                    retried for every method (POST too: nothing was
                                       done); Retry-After (seconds or HTTP-date) capped
                                       at ``max_retry_wait`` and logged; else backoff
500/502/503/504 on GET, PUT, DELETE    retried with exponential backoff + jitter
timeout / dropped conn. on GET/PUT/DEL retried (idempotent); DELETE 404 after a retry = done
connection refused                     retried (nothing was sent), then TransportError
5xx / timeout / drop on bulk POST      not retried blindly: re-list, adopt same name +
                                       same phrases, ConflictError on drift, re-send only
                                       the missing ones (bounded rounds)
409 on bulk POST                       same re-list; adopt identical trackers; a 409 that
                                       no adoption explains is raised, never retried
413                                    chunk halved (never the same body twice); one
                                       tracker → PayloadTooLargeError
body over 1,000,000 bytes              split before sending; a single oversized tracker
                                       (or PUT) → PayloadTooLargeError, nothing sent
401                                    token renewed once and the call re-sent; second
                                       401 → AuthError "credentials were refused"; with
                                       only an access token → AuthError at once
token near expiry                      renewed before the call (10 % / 300 s margin)
odd list answer (HTML, {}, bad types)  ResponseShapeError, never an empty list
pagination hints                 followed (≤ 100 pages, de-duplicated by id); a
                                       repeated page or short total → ResponseShapeError
retries exhausted                      RateLimitedError / ApiError / TransportError with
                                       status, method, path, API message and attempts
=====================================  ===============================================
"""

from trackersync.client.api import SymblClient
from trackersync.client.auth import Credentials
from trackersync.client.chunking import DEFAULT_CHUNK_BYTES
from trackersync.model import BODY_LIMIT_BYTES

__all__ = ["BODY_LIMIT_BYTES", "DEFAULT_CHUNK_BYTES", "Credentials", "SymblClient"]
