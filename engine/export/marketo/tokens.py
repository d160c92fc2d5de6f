"""Program `score` tokens: one per scoring rule, holding its points for the cloned campaigns.

A token is created with `POST /rest/asset/v1/folder/{id}/tokens.json` and form fields
`name`, `type`, `value` and `folderType` (`addTokenTOFolderUsingPOST` with
`CreateTokenRequest` in Marketo's swagger-asset.json; reference:
https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/tokens,
"Data is passed as POST x-www-form-urlencoded, not as JSON", and a name "may not exceed 50
characters"). A campaign's Change Score step reads it as `{{my.<name>}}`; the value carries
its sign, as Change Score takes `+15` or `-15`
(http://docs.marketo.com/display/public/DOCS/Understanding+My+Tokens+in+a+Program: "Score
— use this token in the change score flow step").

The token's name is the rule's id: ids are lower-case letters, digits and underscores, so
nothing in `{{my.…}}` needs quoting; only the 50-character limit can refuse one (X104).
"""

from __future__ import annotations

from typing import Any

from engine.ir import Rule

MAX_NAME = 50
PATH = "/rest/asset/v1/folder/{programId}/tokens.json"


def token_name(rule: Rule) -> str:
    return rule.id


def reference(rule: Rule) -> str:
    """How a flow step names the token."""
    return f"{{{{my.{token_name(rule)}}}}}"


def score_value(points: int) -> str:
    return f"{points:+d}"


def token(rule: Rule) -> dict[str, Any]:
    """The Create Token form fields; values are text, as a form sends them."""
    return {
        "folderType": "Program",
        "name": token_name(rule),
        "type": "score",
        "value": score_value(rule.points),
    }
