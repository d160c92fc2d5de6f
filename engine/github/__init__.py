"""GitHub's side of the GitOps loop: CODEOWNERS, two-team approvals and the PR comment.

`codeowners` and `approvals` are pure; `client`, `pulls` and `comment` speak the REST API
(https://docs.github.com/en/rest) through engine.http_client.
"""
