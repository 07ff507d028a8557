"""The conformance suite's test modules (collected only when the plugin is activated)."""
