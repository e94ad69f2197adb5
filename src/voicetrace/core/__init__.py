"""Pure domain model: dataclasses and rules. Standard library only — no SQL, no HTTP, no file formats."""
