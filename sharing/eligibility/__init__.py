"""The one eligibility engine: pure functions over the registry and the policy in force.

- binding.py: who may share with whom (checked when binding, and on every registry change)
- payment.py: what an active binding may pay now

Each function returns *every* applicable Reason (sharing/reasons.py), never just the first.
The wizard, the hall, the settlement API and the self-check all call these.
"""
