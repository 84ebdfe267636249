"""The seed articles and their tables, installed as the package `factbot_seeds`.

pyproject.toml maps this folder to that package name (`package-dir`), so `seeds/` stays at the
top of the repository and a wheel carries the same files as package data; `facts.seeds` finds
them with `importlib.resources`, in a checkout and in an installed copy alike.
"""
