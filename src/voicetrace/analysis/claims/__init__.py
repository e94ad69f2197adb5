"""From coded segments to influence claims, their evidence strength and per-case profiles.

The rules here are the study's method made explicit (docs/claims.md explains them for readers):
a claim is a passage coded with a *level* of influence; passages in the same case that describe the
same change are merged into one claim with several evidence items (the merge is recorded so it can
be undone); the strength of a claim follows from its evidence, never from a typed-in value; and
contradicting evidence is kept beside the claim rather than averaged away.

Everything is pure and deterministic: the same frames give the same drafts in the same order.

Modules: ``proposal`` (passages to drafts), ``merging`` (drafts or claims describing one change),
``similarity`` (the words that name a change), ``strength``, ``contradictions``, ``editing`` (a person's
changes to stored claims) and ``profiles`` (claims as frames per case, level and outcome).
"""
