"""The handbook's benchmark (`make bench`): synthetic stories, timed builds, checks and refreshes."""
