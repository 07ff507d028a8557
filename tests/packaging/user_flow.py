"""A user's application, as it would be written against the installed ``bria-tailored`` wheel.

tests/packaging runs it against a ``bria-mock`` process and type-checks it with ``mypy --strict``
in a virtualenv that holds nothing but the client and its three dependencies.
"""

from __future__ import annotations

from bria_tailored.api.dataset import create_dataset, get_dataset_by_id, get_datasets_by_project
from bria_tailored.api.model import get_model
from bria_tailored.api.project import create_project
from bria_tailored.models import (
    Dataset,
    DatasetCreate,
    DatasetStatus,
    IpMedium,
    IpType,
    Project,
    ProjectCreate,
)
from bria_tailored.runtime import NotFoundError, expect, make_client


def main() -> None:
    client = make_client()
    project = expect(
        create_project.sync_detailed(
            client=client,
            body=ProjectCreate(
                project_name="packaging-flow",
                ip_medium=IpMedium.PHOTOGRAPHY,
                ip_type=IpType.STYLIZED_SCENE,
            ),
        ),
        Project,
    )
    dataset = expect(
        create_dataset.sync_detailed(
            client=client, body=DatasetCreate(project_id=project.id, name="first")
        ),
        Dataset,
    )
    fetched = expect(get_dataset_by_id.sync_detailed(dataset.id, client=client), Dataset)
    assert fetched.status == DatasetStatus.DRAFT, fetched.status
    listed = expect(get_datasets_by_project.sync_detailed(project.id, client=client), list)
    assert [d.id for d in listed] == [dataset.id], listed
    try:
        expect(get_model.sync_detailed(987_654, client=client), Project)
    except NotFoundError as exc:  # errors by status: no status-code checks in user code
        found = f"project {project.id}, dataset {dataset.id}"
        print(f"flow ok: {found}, unknown model -> {exc.status_code}")
    else:
        raise AssertionError("an unknown model must raise NotFoundError")


if __name__ == "__main__":
    main()
