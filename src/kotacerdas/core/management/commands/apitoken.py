"""``kotacerdas apitoken create USERNAME NAME`` / ``apitoken list USERNAME`` /
``apitoken revoke PREFIX``: personal API tokens for machine clients."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.core.models import ApiToken, User
from kotacerdas.core.tokens import issue_token, revoke_token


class Command(BaseCommand):
    help = "Issue, list or revoke a user's API tokens. A new token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("name", help="what the token is for, e.g. the client's name")
        listing = sub.add_parser("list", help="list a user's tokens (prefixes only)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "revoke":
            tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            if tokens.count() != 1:
                raise CommandError(f"no single active token has prefix {options['prefix']!r}")
            revoke_token(tokens.get())
            self.stdout.write(f"revoked {options['prefix']}")
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        if action == "create":
            issued = issue_token(user, options["name"])
            self.stdout.write(issued.secret)
        else:
            for token in user.api_tokens.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.prefix}\t{token.name}\t{state}\t{token.created_at:%Y-%m-%d}"
                )
