"""Static files as WhiteNoise serves them (hashed names, compressed copies), with each URL worked out once.

Every page's `{% static %}` tags (style sheets, script, icon) asked the manifest storage to look the hashed name up,
join and quote it on every render; the answer for a name never changes while a process runs (the manifest is read
at start-up), so it is remembered per name.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:  # a missing file raises (manifest_strict) and is not remembered
            url = self._urls[name] = super().url(name)
        return url
