"""What a user meets first: help() on a model, the repr of an unset field, docstrings' paths."""

from __future__ import annotations

import inspect
import pkgutil

import bria_tailored.models as models
from bria_tailored.api.dataset import upload_image
from bria_tailored.models import Model, TrainingRequest
from bria_tailored.types import UNSET


def test_every_model_class_has_a_class_docstring_listing_its_fields() -> None:
    for info in pkgutil.iter_modules(models.__path__):
        module = __import__(f"bria_tailored.models.{info.name}", fromlist=["_"])
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not hasattr(cls, "__attrs_attrs__"):
                continue
            doc = inspect.getdoc(cls)
            assert doc, f"{cls.__name__} has no class docstring"
    doc = inspect.getdoc(Model) or ""
    assert "Attributes:" in doc
    assert "checkpoint_steps" in doc and "Unique identifier for the model." in doc


def test_unset_fields_have_a_readable_repr() -> None:
    assert repr(UNSET) == "UNSET"
    text = repr(TrainingRequest())
    assert "learning_rate=UNSET" in text
    assert "object at 0x" not in text


def test_upload_docstring_names_the_real_bulk_upload_path() -> None:
    doc = upload_image.sync_detailed.__doc__ or ""
    assert "/images/bulk-upload" in doc
    assert "Use images/bulk " not in doc
