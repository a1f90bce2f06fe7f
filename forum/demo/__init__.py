"""A realistic demo edition: Digital Bridge in Astana with delegations, companies and people."""

from forum.demo.builder import build_demo

__all__ = ["build_demo"]
