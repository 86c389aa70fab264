"""Per-function local setup: tools/local_setup/<name>.py seeds data and gives what moto cannot resolve."""
