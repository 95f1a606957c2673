"""The store: an embedded DuckDB file with a versioned schema.

Migrations are numbered and applied in order, each in its own transaction, when a store is opened
for writing (schema.py). Documents are keyed on `doc_id` (a hash of where a document came from
and what it says), so inserting the same input twice adds nothing. Every run is recorded in
`runs` with its inputs, settings and counts (runs.py); rejected inputs land in `rejections`
(rejections.py). Coded events are keyed on `event_id` the same way, one flat row each in
`events` (columns.py says what each column holds). core.py's Store composes them.

`from thucydides.store import Store` is the way in; the other names here are those other modules
use. To patch a name in a test, patch it where it is defined (thucydides.store.schema.MIGRATIONS).
"""

from .columns import _DOCUMENT_BATCH as _DOCUMENT_BATCH
from .columns import _EVENT_BATCH as _EVENT_BATCH
from .columns import _PUBLISHED_DATE as _PUBLISHED_DATE
from .columns import _document_from_row as _document_from_row
from .columns import _documents_batch as _documents_batch
from .columns import _event_from_row as _event_from_row
from .columns import _events_batch as _events_batch
from .core import SANDBOX_CONFIG as SANDBOX_CONFIG
from .core import Store as Store
from .failures import store_failure as store_failure
from .runs import RUN_STATUSES as RUN_STATUSES
from .schema import MIGRATIONS as MIGRATIONS
