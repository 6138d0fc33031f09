"""The local Metronome API, mounted at the root like api.metronome.com.

One router per area (`customers`, `contracts`, `pricing`, `usage`); request bodies in
`schemas` and `contract_schemas`; writes in `store` (with `contract_store` and `usage_store`);
look-ups shared by both in `records`; cursor pagination in `pages`.
"""
