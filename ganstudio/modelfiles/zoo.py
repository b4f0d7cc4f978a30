"""The model library under its older name, for the pages and benches that still import it from here.

The code lives in `manifest` (the manifest and its checks), `library` (listing, torch-free),
`transfer` (import / export) and `resolve` (a spec → a checked file).
"""

from ganstudio.modelfiles.library import (
    ModelEntry,
    all_models,
    bundled_models,
    imported_models,
    user_runs,
    verified_path,
)
from ganstudio.modelfiles.manifest import read_manifest, upsert_manifest_entry, write_manifest
from ganstudio.modelfiles.resolve import resolve_model
from ganstudio.modelfiles.transfer import export_model_file, import_model_file, manifest_entry

__all__ = [
    "ModelEntry", "all_models", "bundled_models", "export_model_file", "import_model_file", "imported_models",
    "manifest_entry", "read_manifest", "resolve_model", "upsert_manifest_entry", "user_runs", "verified_path",
    "write_manifest",
]
