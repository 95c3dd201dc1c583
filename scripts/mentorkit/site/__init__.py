"""The published program site.

`build.site_content(workspace)` turns a Workspace into generated pages and
files (pure: no MkDocs needed, used by tests and by any other static site
generator); `plugin.MentorkitPlugin` is the thin MkDocs shell around it.
"""
