"""Turn on termination protection for a deployed stack: python -m tools.protect_stack STACK_NAME."""

from __future__ import annotations

import sys

import boto3


def main(argv: list[str]) -> int:
    """Enable termination protection on the named stack (idempotent)."""
    (stack_name,) = argv
    boto3.client("cloudformation").update_termination_protection(EnableTerminationProtection=True, StackName=stack_name)
    print(f"termination protection is on for {stack_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
