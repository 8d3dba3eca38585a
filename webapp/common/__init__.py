"""The bottom layer: pieces every feature shares, with no blueprint of their own.

Nothing here imports a feature package (hazards, training, appointments, open311,
notifications, staff) or commits: verbs and their transactions live in the
features (webapp/transactions.py). The shared tables here point into one other
table only, `users` (staff accounts), for who acted: `workflow_events.actor_id`,
`workflow_notes.author_id`, `audit_entries.actor_id` and a submission's
`assignee_id` (the `WorkflowSubject` mixin). No other foreign key leaves `common/`.
"""
