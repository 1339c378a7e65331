"""The index each server process holds, kept up to date from the change log (IndexChange):
before every query the process reads the changes it has not applied yet (one indexed
query, usually empty) and applies them to its own index, one document at a time, so an
edit is searchable in every process at its next query. A change to the glossary or the
thesaurus needs a rebuild: a large index is rebuilt in a background thread while the old
one keeps answering (edits meanwhile are applied to both); a small one, which takes less
than a second, is rebuilt at once."""
import gc
import threading
import time
from contextlib import contextmanager

from django.db import close_old_connections, connection
from django.db.models import Max, Q
from django.utils import timezone

from knowledge.models import GlossaryTerm, Item, ReportField, SynonymGroup
from knowledge.render import passages, plain_text

from .changes import field_key, item_key
from .index import Doc, SearchIndex
from .models import IndexChange

# Changes may commit out of id order (PostgreSQL sequences): changes this recent are read
# again until they are this old, and applied once.
LATE_COMMIT = timezone.timedelta(seconds=60)
BACKGROUND_REBUILD_MIN_DOCS = 200  # smaller indexes rebuild at once (under a second)
# Seconds a background rebuild waits for queries to finish before its next slice: under a
# steady stream of queries it still gets about half the process's time, so it ends.
MAX_YIELD = 0.02
SETTLE_EVERY = 1.0  # seconds
# Seconds an index that no longer serves waits for the queries that may hold it to end
# before it is freed (a query takes milliseconds).
RETIRE_WAIT = 10.0
WARM_UP_QUERY = "อพม. มีหน้าที่อะไร"


def _item_doc(item):
    return Doc(key=item_key(item.pk), title=item.title, context=str(item.chapter), url=item.get_absolute_url(),
               body=plain_text(item.body), heading=item.chapter.title, questions=tuple(item.asked_questions),
               passages=tuple(passages(item.body)))


def _field_doc(f):
    return Doc(key=field_key(f.pk), title=f.title, context=f"รายงาน KM ข้อ {f.section}", url=f.get_absolute_url(),
               body=plain_text(f.body), questions=tuple(f.asked_questions), kind="field")


def documents():
    """Published knowledge items and the KM reports' fields, as search documents."""
    # In chunks: a list of every item at once would be built in one go, with no pause for
    # queries, and a garbage collection meanwhile would walk all of it.
    for item in Item.objects.published().select_related("chapter__report").iterator(chunk_size=2000):
        yield _item_doc(item)
    for f in ReportField.objects.select_related("report"):
        yield _field_doc(f)


def documents_for(keys):
    """(documents to index, keys to drop) for the keys of changed documents."""
    item_pks = {int(k.split(":")[1]) for k in keys if k.startswith("item:")}
    field_pks = {int(k.split(":")[1]) for k in keys if k.startswith("field:")}
    docs = [_item_doc(i) for i in Item.objects.published().filter(pk__in=item_pks).select_related("chapter__report")]
    docs += [_field_doc(f) for f in ReportField.objects.filter(pk__in=field_pks).select_related("report")]
    present = {d.key for d in docs}
    return docs, [k for k in keys if k not in present]


def build_index(pause=None) -> SearchIndex:
    glossary = [(t.abbr, t.full) for t in GlossaryTerm.objects.all()]
    synonyms = [g.expansion() for g in SynonymGroup.objects.all()]
    return SearchIndex(documents(), glossary, synonyms, pause=pause)


class LiveIndex:
    """One process's index and how far along the change log it is."""

    def __init__(self):
        self.index = None
        self.last_id = 0  # every change up to this id is applied (or was before the index was built)
        self.last_row = None  # (key, time) of that change
        self.recent = {}  # id → time of the changes applied within LATE_COMMIT, not to apply twice
        self.checked_at = None
        self.lock = threading.Lock()
        self.rebuild = None  # the background rebuild running, if any
        self.during_rebuild = set()  # keys applied while it runs, to apply to the new index too
        self.queries = 0  # queries being answered now (a background rebuild waits for them)
        self.idle = threading.Condition()

    @contextmanager
    def answering(self):
        with self.idle:
            self.queries += 1
        try:
            yield
        finally:
            with self.idle:
                self.queries -= 1
                self.idle.notify_all()

    def let_queries_go_first(self):
        """Called by a background rebuild between batches: it waits while queries are
        answered (Python runs one thread at a time), but not for ever."""
        settle()
        self.when_no_query_is_answered(MAX_YIELD)

    def current(self) -> SearchIndex:
        with self.lock:
            if self.index is None:
                self._build_now()
            else:
                self._catch_up()
            return self.index

    def _read_log(self, horizon):
        """The changes from the one this index is at onwards, and every change recent enough
        to have committed late: {id: (key, time)}."""
        rows = IndexChange.objects.filter(Q(id__gte=self.last_id) | Q(at__gte=horizon)).values_list("id", "key", "at")
        return {i: (key, at) for i, key, at in rows}

    def _build_now(self):
        self._rebuild_all(timezone.now(), in_background=False)

    def _at(self, log, now):
        """Remember that every change in `log` is applied."""
        self.last_id = max(log, default=self.last_id)
        self.last_row = log.get(self.last_id)
        self.recent = {i: row for i, row in log.items() if row[1] >= now - LATE_COMMIT}
        self.checked_at = now

    def _lost(self, log, horizon):
        """True when changes this index holds are gone from the log: a transaction that
        made them rolled back (or the log was pruned), so the index may hold what the
        database does not."""
        # The change this index is at must still be there, as it was: SQLite gives a
        # rolled-back change's id to the next change.
        if self.last_id and log.get(self.last_id) != self.last_row:
            return True
        return any(log.get(i) != row for i, row in self.recent.items() if row[1] >= horizon)

    def _catch_up(self):
        now = timezone.now()
        log = self._read_log(now - LATE_COMMIT)
        self._finish_rebuild()
        if self._lost(log, now - LATE_COMMIT) or (self.checked_at and now - self.checked_at > IndexChange.KEEP / 2):
            self._rebuild_all(now)
            return
        new = {i: row for i, row in log.items() if i > self.last_id or (i not in self.recent and i != self.last_id)}
        self._at(log, now)
        keys = {key for key, _ in new.values()}
        if IndexChange.ALL in keys:
            keys.discard(IndexChange.ALL)
            if len(self.index.docs) < BACKGROUND_REBUILD_MIN_DOCS:
                self._rebuild_all(now)
                return
            self._start_rebuild()
        if keys:
            changed, removed = documents_for(keys)
            self.index.apply(changed, removed)
            if self.rebuild:
                self.during_rebuild |= keys

    def _rebuild_all(self, now, in_background=None):
        """A new index of everything, now or (a large one) in the background; the log is
        read before the documents, so nothing committed meanwhile is missed."""
        self.last_id = IndexChange.objects.aggregate(last=Max("id"))["last"] or 0
        log = self._read_log(now - LATE_COMMIT)
        if in_background is None:
            in_background = len(self.index.docs) >= BACKGROUND_REBUILD_MIN_DOCS
        if in_background:
            self._start_rebuild()
        else:
            self.index = build_index()
            if len(self.index.docs) >= BACKGROUND_REBUILD_MIN_DOCS:
                settle(at_once=True)
        self._at(log, now)

    def _start_rebuild(self):
        if self.rebuild and self.rebuild.is_alive():
            self.rebuild.again = True  # a newer "*" arrived: build once more when done
            return
        self.during_rebuild = set()
        self.rebuild = _Rebuild(self.let_queries_go_first)
        self.rebuild.start()

    def _finish_rebuild(self):
        """Serve the index a background rebuild made, once it is ready, with the edits
        applied to the old one meanwhile."""
        rebuild = self.rebuild
        if rebuild is None or rebuild.is_alive():
            return
        self.rebuild = None
        if rebuild.result is not None:
            changed, removed = documents_for(self.during_rebuild)
            rebuild.result.apply(changed, removed)
            old, self.index = self.index, rebuild.result
            settle(at_once=True)  # only a large index is rebuilt in the background
            _Retirement(old, self).start()
        if rebuild.again:
            self._start_rebuild()

    def when_no_query_is_answered(self, seconds):
        """Wait until no query is being answered (one that holds an old index ends), or
        `seconds` have passed."""
        with self.idle:
            self.idle.wait_for(lambda: self.queries == 0, timeout=seconds)


_settled = [0.0]  # when objects were last moved out of the collector's rounds


def settle(at_once=False):
    """An index holds millions of objects for as long as it serves. Python's full garbage
    collection walks every one of them while holding the interpreter, so a query waits for
    it (0.3 s at 100,000 documents): once a large index is built, and every SETTLE_EVERY
    seconds while one is built, they leave the collector's rounds (gc.freeze). Reference
    counting still frees them when the index is dropped."""
    if at_once or time.monotonic() - _settled[0] >= SETTLE_EVERY:
        gc.freeze()
        _settled[0] = time.monotonic()


class _Rebuild(threading.Thread):
    def __init__(self, pause):
        super().__init__(name="search-rebuild", daemon=True)
        self.pause = pause
        self.result = None
        self.again = False

    def run(self):
        # No lower scheduling priority for this thread: it would hold the GIL while the
        # system runs others, and the queries waiting for the GIL would wait with it.
        close_old_connections()
        try:
            index = build_index(self.pause)
            index.search(WARM_UP_QUERY)  # a new searcher's first query loads its caches: not a user's
            self.result = index
        finally:
            connection.close()  # this thread's own connection


class _Retirement(threading.Thread):
    """Frees an index that no longer serves, once the queries that may still hold it are
    answered, a slice at a time between queries (SearchIndex.dismantle)."""

    def __init__(self, index, live):
        super().__init__(name="search-retire", daemon=True)
        self.index, self.live = index, live

    def run(self):
        self.live.when_no_query_is_answered(RETIRE_WAIT)
        self.index.dismantle(self.live.let_queries_go_first)
        self.index = None


_live = LiveIndex()


def current_index() -> SearchIndex:
    return _live.current()


def answering():
    """Wrap queries made on current_index() directly, so a background rebuild waits for them."""
    return _live.answering()


def search(q: str, limit: int = 10):
    with _live.answering():
        return _live.current().search(q, limit)
