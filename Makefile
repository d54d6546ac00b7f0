# prep-handbook: every install step lives here, so a fresh clone (and CI) needs only `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve build test test-browser chromium pdf clean lock bench build-zensical build-properdocs publish

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

setup: $(STAMP) ## Create .venv and install the pinned dependencies

# Not --strict: a strict server stops reloading at the first warning ("the server will appear stuck").
# It shows every MkDocs warning (broken link, missing anchor, page left out of the nav) and every data
# problem in a banner on each page instead, and drops the banner at the first clean rebuild.
serve: setup ## Serve the handbook on 127.0.0.1:8000; an edit re-renders only the pages it touches; problems show in a banner on every page
	$(BIN)/python -m devtools.serve --dev-addr $(HOST):$(PORT)

# Every build below is `python -m devtools.sitebuild`: strict as `mkdocs build --strict` (every warning
# fails it, and is printed), built beside its folder and swapped in only when it passes.
build: setup ## Strict build into site/ (any warning fails it; the old site/ stays until a build passes)
	$(BIN)/python -m devtools.sitebuild

build-zensical: setup ## The same strict build with Zensical into site-zensical/
	$(BIN)/python -m devtools.sitebuild --engine zensical

build-properdocs: setup ## The same strict build with ProperDocs into site-properdocs/
	$(BIN)/python -m devtools.sitebuild --engine properdocs

bench: setup ## Benchmark builds, checks and edit-to-refresh at 10/100/1,000 stories; writes bench/RESULTS.md
	$(BIN)/python -m bench.run

publish: setup ## Build HEAD (committed files only) into dist/prep-handbook-<version>-<sha>.tar.gz; DEPLOY=1 also pushes it to gh-pages
	$(BIN)/python -m devtools.publish $(if $(filter 1 yes true,$(DEPLOY)),--deploy)

chromium: ## Make sure Debian's chromium is installed (apt-get when root)
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing chromium with apt-get..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
	  echo "Browser tests need Debian's chromium at /usr/bin/chromium: sudo apt-get install chromium"; \
	  if [ "$$CI" = true ]; then exit 1; fi; \
	fi

test: setup chromium ## Run the whole suite (data, build, HTML, browser)
	$(BIN)/python -m pytest

test-browser: setup chromium ## Run only the browser tests
	$(BIN)/python -m pytest -m browser

pdf: setup chromium ## Print the cheat sheet, story cards and whole handbook to A4 PDFs in pdf/ (OWNER=ana: only ana's cards and interview sheet)
	$(BIN)/python -m devtools.sitebuild -d .site-pdf
	$(BIN)/python -m devtools.pdf .site-pdf pdf $(if $(OWNER),--owner "$(OWNER)") && rm -rf .site-pdf

lock: ## Re-resolve requirements.lock from pyproject.toml's ranges (review the diff)
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet -e . playwright axe-playwright-python pytest pytest-timeout jsonschema hypothesis pre-commit check-jsonschema zensical==0.0.73 properdocs setuptools \
	  && .lockenv/bin/pip freeze --exclude-editable | sort -f > requirements.lock.new && rm -rf .lockenv && echo "wrote requirements.lock.new"

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site site-* .site-* .pytest_cache .cache pdf
