"""The local SMTP server's handler: a Maildir that refuses recipients in reserved domains.

Loaded by scripts/lib/stack.sh with Debian's interpreter:

    PYTHONPATH=scripts/lib /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525 \
        -c smtp_sink.RefusingMailbox MAILDIR

It keeps every message it accepts in MAILDIR, like aiosmtpd.handlers.Mailbox, but answers
RCPT TO for an address under the ".invalid" top-level domain (reserved by RFC 2606, so it can
never exist) with a permanent failure, as a real relay would for a domain that does not
exist. Tests use such addresses to check what pli does when an e-mail bounces at once.
Written for aiosmtpd 1.4 (handle_RCPT(server, session, envelope, address, rcpt_options)).
"""

from aiosmtpd.handlers import Mailbox

REFUSAL = "550 5.1.2 Domain does not exist"


def refused_domain(address):
    """True when the address's domain is "invalid" or ends in ".invalid" (any case)."""
    domain = address.rpartition("@")[2].strip().rstrip(".").lower()
    return domain == "invalid" or domain.endswith(".invalid")


class RefusingMailbox(Mailbox):
    """aiosmtpd.handlers.Mailbox whose RCPT refuses addresses in the .invalid domain."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if refused_domain(address):
            return REFUSAL
        # What aiosmtpd does itself when the handler has no handle_RCPT.
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"
