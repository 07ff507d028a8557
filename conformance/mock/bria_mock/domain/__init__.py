"""The mock's domain layer, below the HTTP handlers: rules that span records and how records
are shown.

``cascades`` deletes a record with everything that belongs to it; ``projects`` checks and creates
projects (for create-project and upload-model alike); ``request_forms`` reads the request forms
Bria's published clients send as canonical values; ``views`` renders records as the JSON the
normalized spec documents (the ``documented`` profile then rewrites that on its way out, see
``profiles.py``). Handlers in ``resources/`` parse the request, call these and return the view;
nothing here imports a handler module.
"""
