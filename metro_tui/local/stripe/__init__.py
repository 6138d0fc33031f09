"""The local Stripe API, mounted under /stripe: the customer endpoints (`customers`), their
storage (`store`), the search query language (`search`) and `expand[]` (`expand`)."""
