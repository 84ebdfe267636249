"""The curated fact store: model, extraction from seeds, storage, matching and verification."""
