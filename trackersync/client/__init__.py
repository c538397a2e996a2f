"""Symbl Trackers Management API client (symbl-api.md §1-2, §6).

Public surface::

    from trackersync.client import SymblClient, Credentials
    creds = Credentials.from_env(prefix="SYMBL_", environ=os.environ)
    client = SymblClient(base_url, creds)
    client.list_trackers(); client.find_by_name(name); client.get_tracker(id)
    client.create_trackers(trackers); client.update_tracker(id, tracker)
    client.delete_tracker(id); client.request_count; client.close()

Modules: ``auth`` (credentials, token life cycle), ``transport`` (requests, serial lock,
logging), ``retrying`` (urllib3 Retry policy), ``chunking`` (1 MB bodies), ``listing``
(list shapes, pagination hints), ``reconcile`` (ambiguous-create resolution), ``api``
(the typed operations).
"""

from trackersync.client.api import SymblClient
from trackersync.client.auth import Credentials
from trackersync.client.chunking import BODY_LIMIT_BYTES, DEFAULT_CHUNK_BYTES

__all__ = ["BODY_LIMIT_BYTES", "DEFAULT_CHUNK_BYTES", "Credentials", "SymblClient"]
