"""Shared building blocks: model mixins, permissions, errors, i18n helpers, validators."""
