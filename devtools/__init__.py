"""Developer tooling run by the Makefile: atomic site build, PDF, publishing, engine preparation (`python -m devtools.<name>`)."""
