"""Project scripts run by the Makefile (`python -m scripts.<name>`)."""
