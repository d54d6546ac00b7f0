"""`make serve`: the development server, re-rendering only the pages an edit touches.

`mkdocs serve` builds the whole site again on every save: at 1,000 stories that is half a
minute before the edited story shows. This server builds everything once, keeps what it
built (pages, navigation, search entries) and, on each save, does only what the save needs:

1. The handbook is loaded again through mkdocs-macros (which runs our `define_env`): unchanged
   data files come from the caches, the edited one is parsed and checked, and the generated page
   of each story whose content changed is rewritten.
2. Pages to render again: each page whose source file changed (an edited page, a rewritten story
   page) and each page built from data (`render_macros: true`: the bank index, readiness, the
   matrix, ...) whose Markdown, rendered again from the new data, is not what it was.
3. Those pages are converted and written, and their search entries replace their old ones in
   the search index (the other pages' entries are kept, in page order): the edited pages and the
   bank's pages first, then the browser reloads, then the other pages built from data; a page that
   takes a second or more (the whole-handbook print page at many stories) when a browser asks for it.

Whatever a page-by-page update cannot get right gets a full build, as `mkdocs serve` does on every
change: a change outside `data/` and `docs/` (mkdocs.yml, overrides/, Python code), a page added or
removed, a file under docs/ that is not a page, a page in the nav whose title changed, and any build
that shows the banner of data problems or MkDocs warnings (or ended one), so the banner is on every
page or on none. Drafts are shown, warnings go to the page banner, as before (`--no-strict`).

`python -m devtools.serve [-f mkdocs.yml] [--dev-addr HOST:PORT] [--no-livereload] [--full]`
(`--full`: a full build on every change, for comparison).
"""

from __future__ import annotations

import argparse
import logging
import os
import posixpath
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger("handbook.serve")

# Folders under docs/ written by the build itself (never a writer's edit): their changes are not
# changes to react to. Story pages and cards change their text whenever what they show changes.
GENERATED = ("bank/stories", "print/bank", "print/sheets")
DIGESTED = ("bank/stories/", "print/bank/")  # stubs whose text changes with everything their page shows
# Besides the edited pages, what must be current when browsers reload: the bank's index and
# readiness. Other pages built from data (print pages, the matrix, ...) follow, cheapest first.
FIRST = ("bank/",)
# A page that took this long (seconds) is rendered when a browser asks for it, not after each save
# (at 1,000 stories the whole-handbook print page takes several seconds: no save waits behind it).
LAZY_PAGE = 1.0
# INFO loggers that repeat themselves on each update: the macros plugin's set-up, the checker's notes.
CHATTER = ("mkdocs.plugins.mkdocs_macros.util", "mkdocs.plugins.handbook")
IGNORED_PARTS = ("__pycache__", ".git", ".cache")
IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", "~")
CHANGES = frozenset({"created", "deleted", "modified", "moved"})  # watchdog event types that change a file


@dataclass
class Update:
    """What one rebuild did: a full build, or the pages rendered again (source paths), and its seconds."""

    full: bool
    pages: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reason: str = ""
    later: list[str] = field(default_factory=list)  # pages written after browsers reloaded
    later_seconds: float = 0.0
    waiting: list[str] = field(default_factory=list)  # slow pages rendered when asked for

    def describe(self) -> str:
        """One log line: what was rebuilt and why."""
        if self.full:
            return f"Full build in {self.seconds:.2f} s ({self.reason})"
        if not self.pages:
            return f"Nothing to render again ({self.seconds:.2f} s)"
        line = f"Rendered {len(self.pages)} page(s) again in {self.seconds:.2f} s: {_listed(self.pages)}"
        if self.later:
            line += f"; then {len(self.later)} more page(s) by {self.later_seconds:.2f} s: {_listed(self.later)}"
        if self.waiting:
            line += f"; when asked for: {_listed(self.waiting)}"
        return line


def _listed(pages: list[str]) -> str:
    return ", ".join(pages[:6]) + (f" and {len(pages) - 6} more" if len(pages) > 6 else "")


def _stamps(docs_dir: Path) -> dict[str, tuple[int, int]]:
    """Return (mtime in ns, size) of every file under docs/, by path relative to it."""
    found: dict[str, tuple[int, int]] = {}
    for top, dirs, names in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(top, docs_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        for name in names:
            if name.startswith("."):
                continue
            try:
                st = os.stat(os.path.join(top, name))
            except OSError:
                continue
            found[prefix + name] = (st.st_mtime_ns, st.st_size)
    return found


class Site:
    """One served site: a full build kept in memory, and the page-by-page updates after each save."""

    def __init__(self, config_file: str | None, site_dir: str, dev_addr: str | None = None) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.dev_addr = dev_addr
        self.serve_url: str | None = None
        self.config = None
        self.search = self.macros = None  # Material's search plugin and mkdocs-macros of the config
        self.clean = False  # whether the last build showed no banner: only then is an update trusted
        self.pending: set[str] = set()  # pages an update left to render (source paths)
        self.lock = threading.RLock()  # one update or on-request rendering at a time
        # Once browsers may reload, files are rewritten in place (pages, the search index): the
        # server holds requests meanwhile (make_server sets this to its gate).
        self.writing = nullcontext

    # --- configuration -----------------------------------------------------------------

    def load_config(self):
        """Load mkdocs.yml for serving: into the temporary site folder, not strict, at the dev address."""
        from mkdocs.config import load_config

        options = {"site_dir": self.site_dir, "strict": False}
        if self.dev_addr:
            options["dev_addr"] = self.dev_addr
        config = load_config(config_file=self.config_file, **options)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    @property
    def docs_dir(self) -> Path:
        """The docs folder of the served project."""
        return Path(self.config.docs_dir)

    @property
    def data_dir(self) -> Path:
        """The data folder of the served project (beside mkdocs.yml)."""
        return Path(self.config.config_file_path).resolve().parent / "data"

    def _plugin(self, kind: str):
        for plugin in self.config.plugins.values():
            module = type(plugin).__module__
            if kind == "search" and hasattr(plugin, "search_index") and module.startswith("material."):
                return plugin
            if kind == "macros" and module.startswith("mkdocs_macros"):
                return plugin
        return None

    # --- builds ------------------------------------------------------------------------

    def full_build(self, reason: str = "first build") -> Update:
        """Build the whole site, as `mkdocs build` does, keeping each page's Markdown and search entries."""
        from mkdocs import utils
        from mkdocs.commands import build as mk
        from mkdocs.exceptions import BuildError
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        start = time.perf_counter()
        config = self.config = self.load_config()
        self.cost: dict[str, float] = {}  # seconds each page took to read and convert, last time
        self.pending: set[str] = set()  # slow pages an interrupted update left to render
        try:
            config = self.config = config.plugins.on_config(config)
            self.search, self.macros = self._plugin("search"), self._plugin("macros")  # looked up once per config
            config.plugins.on_pre_build(config=config)
            utils.clean_directory(config.site_dir)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            inclusion = InclusionLevel.is_in_serve
            for file in files.documentation_pages(inclusion=inclusion):
                if file.page is None and file.inclusion.is_not_in_nav():
                    Page(None, file, config)
                began = time.perf_counter()
                mk._populate_page(file.page, config, files)
                self.cost[file.src_uri] = time.perf_counter() - began
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files(inclusion=inclusion)
            for template in config.theme.static_templates:
                mk._build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                mk._build_extra_template(template, files, config, nav)
            doc_files = files.documentation_pages(inclusion=inclusion)
            self.files, self.nav, self.env, self.doc_files = files, nav, env, doc_files
            self.by_dest = {f.dest_uri: f for f in doc_files}
            self.entries: dict[str, list] = {}
            self.markdown: dict[str, str] = {}
            for file in doc_files:
                self._build_page(file)
                self.markdown[file.src_uri] = file.page.markdown
            for file in doc_files:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            self._write_search_and_finish()
        except Exception as exc:
            config.plugins.on_build_error(error=exc)
            self.clean = False
            if isinstance(exc, BuildError):
                log.error(str(exc))
            raise
        self.in_nav = {page.file.src_uri: page.title for page in nav.pages}
        self.stamps = _stamps(self.docs_dir)
        self.clean = self._banner_is_empty()
        return Update(True, seconds=time.perf_counter() - start, reason=reason)

    def _build_page(self, file) -> None:
        """Write one page through the theme, keeping the search entries it adds."""
        from mkdocs.commands import build as mk

        search = self.search
        before = len(search.search_index.entries) if search else 0
        mk._build_page(file.page, self.config, self.doc_files, self.nav, self.env, excluded=file.inclusion.is_excluded())
        if search:
            self.entries[file.src_uri] = search.search_index.entries[before:]

    def _write_search_and_finish(self) -> None:
        """Write the search index from every page's entries, in page order; run the post-build events."""
        search = self.search
        if search:
            search.search_index.entries = [e for f in self.doc_files for e in self.entries.get(f.src_uri, ())]
            search.search_index_prev = None
        self.config.plugins.on_post_build(config=self.config)

    def _banner_is_empty(self) -> bool:
        extra = self.config.get("extra") or {}
        return not extra.get("handbook_problems") and not list(extra.get("handbook_warnings") or ())

    def update(self, changed: set[str], publish=lambda: None, interrupted=lambda: False) -> Update:
        """Bring the site in line with the saved files `changed` (absolute paths), page by page if it can.

        The edited pages and the bank's pages come first; `publish()` is called once they are
        written (browsers reload then). The other pages built from data follow, cheapest first,
        each unless `interrupted()` says another save is waiting; what is left is done by the next
        update.
        """
        reason = self._needs_full_build(changed)
        if reason:
            return self.full_build(reason)
        try:
            return self._update_pages(publish, interrupted)
        except _FullBuild as why:
            return self.full_build(str(why))

    def _needs_full_build(self, changed: set[str]) -> str:
        if self.config is None or not self.clean:
            return "the last build showed problems" if self.config is not None else "first build"
        docs, data = self.docs_dir.resolve(), self.data_dir.resolve()
        for path in changed:
            where = Path(path).resolve()
            if not (where.is_relative_to(docs) or where.is_relative_to(data)):
                return f"{os.path.relpath(where)} changed"
        return ""

    def _update_pages(self, publish, interrupted) -> Update:
        start = time.perf_counter()
        config = self.config
        macros = self.macros
        if macros is None:
            raise _FullBuild("no macros plugin")
        extra = config.get("extra") or {}
        extra.pop("handbook_problems", None)
        with _quiet(*CHATTER):  # the first build said all this; warnings still reach the banner
            macros.on_config(config)  # loads the data again and rewrites the stubs of changed stories
        macros.on_nav(self.nav, config=config, files=self.files)
        if not self._banner_is_empty():
            raise _FullBuild("the data has problems")
        stamps = _stamps(self.docs_dir)
        if stamps.keys() != self.stamps.keys():
            raise _FullBuild("a file under docs/ was added or removed")
        touched = {uri for uri, stamp in stamps.items() if stamp != self.stamps[uri]}
        self.stamps = stamps
        pages = {f.src_uri: f for f in self.doc_files}
        if touched - pages.keys():
            raise _FullBuild(f"{sorted(touched - pages.keys())[0]} is not a page")
        candidates = [
            f for f in self.doc_files
            if f.src_uri in touched or f.src_uri in self.pending
            or (f.page.meta.get("render_macros") is True and not f.src_uri.startswith(DIGESTED))
        ]
        first = [f for f in candidates if f.src_uri in touched or f.src_uri.startswith(FIRST)]
        later = sorted((f for f in candidates if f not in first), key=lambda f: self.cost.get(f.src_uri, 0.0))
        rebuilt = self._render_again(first, touched)
        if rebuilt:
            self._write_search_and_finish()
        update = Update(False, [f.src_uri for f in rebuilt], time.perf_counter() - start)
        self.pending = {f.src_uri for f in later}
        # A page that took a second or more is rendered when it is asked for (render_if_pending), so
        # the next save never waits behind it; the others follow now, one by one.
        later = [f for f in later if self.cost.get(f.src_uri, 0.0) < LAZY_PAGE]
        update.waiting = sorted(self.pending - {f.src_uri for f in later})
        if later:
            publish()
            more = []
            for file in later:
                if interrupted():
                    break
                more += self._render_again([file], touched, self.writing)
                self.pending.discard(file.src_uri)
            if more:
                with self.writing():
                    self._write_search_and_finish()
            update.later = [f.src_uri for f in more]
            update.later_seconds = time.perf_counter() - start
        return update

    def is_pending(self, dest: str) -> bool:
        """Whether the page written at `dest` waits to be rendered (read without the lock: a stale answer only delays)."""
        by_dest = getattr(self, "by_dest", None)
        file = by_dest.get(dest) if by_dest else None
        return file is not None and file.src_uri in self.pending

    def render_if_pending(self, dest: str) -> bool:
        """Render the page written at `dest` (`print/handbook.html`) if an update left it to render; return whether one was."""
        file = self.by_dest.get(dest) if self.config is not None else None
        if file is None or file.src_uri not in self.pending:
            return False
        try:
            if self._render_again([file], set(), self.writing):
                with self.writing():  # the page's own request waits anyway; others must not read a half-written index
                    self._write_search_and_finish()
        except _FullBuild as why:
            self.full_build(str(why))
            return True
        self.pending.discard(file.src_uri)
        return True

    def render_pending(self) -> list[str]:
        """Render every page an update left to render; return their source paths."""
        done = []
        for file in [f for f in self.doc_files if f.src_uri in self.pending]:
            if self.render_if_pending(file.dest_uri):
                done.append(file.src_uri)
        return done

    def _render_again(self, files: list, touched: set[str], writing=nullcontext) -> list:
        """Render `files` from their source and data again; write those whose Markdown changed (all of `touched`)."""
        config, rebuilt = self.config, []
        for file in files:
            page, uri = file.page, file.src_uri
            began = time.perf_counter()
            config._current_page = page
            try:
                page = config.plugins.on_pre_page(page, config=config, files=self.files)
                page.read_source(config)
                page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=self.files)
                if uri not in touched and page.markdown == self.markdown[uri]:
                    continue
                page.render(config, self.files)
                page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=self.files)
            finally:
                config._current_page = None
            if uri in self.in_nav and page.title != self.in_nav[uri]:
                raise _FullBuild(f"the title of {uri} changed")
            self.markdown[uri] = page.markdown
            with writing():  # once browsers may reload, no request reads a page while it is rewritten
                self._build_page(file)
            self.cost[uri] = time.perf_counter() - began
            rebuilt.append(file)
        if not self._banner_is_empty():
            raise _FullBuild("a page has warnings")
        return rebuilt


@contextmanager
def _quiet(*names: str):
    """Drop INFO lines of these loggers for a moment (WARNING and above still pass)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class _FullBuild(Exception):
    """This change needs a full build (the message says why)."""


def _ignored(path: str, generated: tuple[str, ...]) -> bool:
    parts = Path(path).parts
    if any(part in IGNORED_PARTS for part in parts) or path.endswith(IGNORED_SUFFIXES):
        return True
    return any(path.startswith(g) for g in generated)


def make_server(site: Site, host: str, port: int, *, livereload: bool = True):
    """Return the live-reload server of `site`: it watches with the system's file events where it can."""
    import watchdog.events
    import watchdog.observers
    from mkdocs.livereload import LiveReloadServer

    docs = site.docs_dir.resolve()
    generated = tuple(str(docs / g) + os.sep for g in GENERATED) + (str(Path(site.site_dir).resolve()) + os.sep,)

    class Server(LiveReloadServer):
        """mkdocs' live-reload server, remembering which files changed and reacting at once."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.changed: set[str] = set()
            try:  # inotify on Linux: no polling delay (mkdocs polls every 0.5 s)
                self.observer = watchdog.observers.Observer()
            except Exception:  # pragma: no cover - platforms without native events keep polling
                pass

        def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
            path = os.path.abspath(path)
            if path in self._watched_paths:
                self._watched_paths[path] += 1
                return
            self._watched_paths[path] = 1

            def callback(event) -> None:
                if event.is_directory or event.event_type not in CHANGES:
                    return  # inotify also reports files opened and closed unwritten: reading is no change
                paths = [event.src_path, getattr(event, "dest_path", "") or ""]
                wanted = [p for p in paths if p and not _ignored(os.path.abspath(p), generated)]
                if not wanted:
                    return
                with self._rebuild_cond:
                    self.changed.update(os.path.abspath(p) for p in wanted)
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

            handler = watchdog.events.FileSystemEventHandler()
            handler.on_any_event = callback
            try:
                self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)
            except OSError:  # out of inotify watches: poll instead, as mkdocs does
                self.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
                for watched in list(self._watch_refs):
                    self._watch_refs[watched] = self.observer.schedule(handler, watched, recursive=recursive)
                self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

        def publish(self) -> None:
            """Let browsers reload and pages be served now; the rest of this update is written behind them.

            mkdocs holds every page request until the build in progress is over; once this epoch
            is visible, requests are answered at once. The pages written after it do not reload
            browsers a second time (a writer reading the story would lose their place).
            """
            with self._epoch_cond:
                self._visible_epoch = self._wanted_epoch
                self._epoch_cond.notify_all()

        @contextmanager
        def gate(self):
            """Hold requests while files are rewritten, without telling browsers to reload.

            mkdocs answers a request only when the visible epoch is the wanted one; a wanted epoch
            one ahead holds requests, and setting it back lets them through with nothing new to
            reload (the long-polling browsers wait for the visible epoch to move).
            """
            with self._epoch_cond:
                visible = self._visible_epoch
                self._wanted_epoch = visible + 1
            try:
                yield
            finally:
                with self._epoch_cond:
                    self._wanted_epoch = visible
                    self._epoch_cond.notify_all()

        def waiting(self) -> bool:
            """Whether another save arrived while this update runs."""
            with self._rebuild_cond:
                return self._want_rebuild

        def _serve_request(self, environ, start_response):
            """Render a page an update left to render, when a browser asks for it, then serve it as mkdocs does."""
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            if (path + "/").startswith(self.mount_path) and not path.startswith("/livereload/"):
                rel = path[len(self.mount_path):]
                rel = posixpath.normpath("/" + (rel + "index.html" if rel.endswith("/") or not rel else rel)).lstrip("/")
                if site.is_pending(rel):  # without the lock: a current page never waits for an update
                    with site.lock:
                        if site.render_if_pending(rel):
                            log.info(f"Rendered {rel} on request")
            return super()._serve_request(environ, start_response)

        def take_changes(self) -> set[str]:
            with self._rebuild_cond:
                changed, self.changed = self.changed, set()
            return changed

    def builder() -> None:
        with site.lock:
            update = site.update(server.take_changes(), publish=server.publish, interrupted=server.waiting)
        log.info(update.describe())

    server = Server(builder=builder, host=host, port=port, root=site.site_dir, mount_path=urlsplit(site.config.site_url or "/").path)
    server.build_delay = 0.05
    site.writing = server.gate

    def error_page(code: int) -> bytes | None:
        page = Path(site.site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    if livereload:
        server.watch(str(docs))
        server.watch(site.config.config_file_path)
        for item in site.config.watch:
            server.watch(item)
    return server


def _logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    for name in ("mkdocs", "handbook"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main(argv: list[str] | None = None) -> int:
    """Serve the handbook until interrupted; return 1 when the first build fails."""
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.livereload import _serve_url

    parser = argparse.ArgumentParser(prog="python -m devtools.serve", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", default=None, help="mkdocs.yml to serve (default: ./mkdocs.yml)")
    parser.add_argument("-a", "--dev-addr", default=None, help="HOST:PORT to serve on (default: mkdocs.yml's dev_addr)")
    parser.add_argument("--no-livereload", action="store_true", help="serve without watching or reloading")
    parser.add_argument("--full", action="store_true", help="a full build on every change, as mkdocs serve does")
    args = parser.parse_args(argv)

    os.environ["HANDBOOK_SERVE"] = "1"  # prep_handbook.site.serving(): drafts shown, problems in the banner
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _logging()
    site_dir = tempfile.mkdtemp(prefix="handbook-serve-")
    site = Site(args.config_file, site_dir, args.dev_addr)
    if args.full:
        site.update = lambda changed, **_: site.full_build("--full")  # type: ignore[method-assign]
    try:
        config = site.load_config()
        host, port = config.dev_addr
        site.serve_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
        try:
            log.info(site.full_build().describe())
        except (BuildError, Abort) as exc:
            print(f"Aborted: {exc}", file=sys.stderr)
            return 1
        server = make_server(site, host, port, livereload=not args.no_livereload)
        site.config.plugins.on_serve(server, config=site.config, builder=server.builder)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
        return 0
    finally:
        if site.config is not None:
            site.config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
