"""The service catalog: model, validation, releases, search and the on-disk store."""

from .load import Problem, check_catalog_dir, load_catalog_dir
from .model import Catalog, Office, Requirement, Service, Step, Village
from .release import build_release, bundled_release_path, load_release, parse_release

__all__ = [
    "Catalog",
    "Office",
    "Problem",
    "Requirement",
    "Service",
    "Step",
    "Village",
    "build_release",
    "bundled_release_path",
    "check_catalog_dir",
    "load_catalog_dir",
    "load_release",
    "parse_release",
]
