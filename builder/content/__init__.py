"""Load: the project's files in, a validated `model.Project` out, every problem as a diagnostic.

sourcefiles (which files, read safely) -> yamlsafe (front matter, line by line) -> schema and
validation (what each key must hold) -> loading (one file) -> project (the whole project, cached).
yamlwriter writes YAML that this loader reads back unchanged (for `new` and `import`).
"""
