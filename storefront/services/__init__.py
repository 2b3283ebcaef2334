"""Use cases: load, call the domain, call ports, commit once."""
