"""The four-step contract wizard (issue 5): Invoicing, Pricing, Credits, Confirm."""

from metro_tui.screens.contract_wizard.screen import ContractWizard, WizardCustomer

__all__ = ["ContractWizard", "WizardCustomer"]
