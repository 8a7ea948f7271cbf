"""What results tell the rest of the site, without knowing who listens.

A live blog that covers an election shows its declarations; results know
nothing of blogs, so liveblog subscribes here (liveblog/receivers.py).
"""

from django.dispatch import Signal

# Sent inside the declaring transaction, after the revision is stored and the results
# page's event appended, so a listener's writes commit or roll back with the declaration.
# Arguments: result (with .current the new revision), headline (e.g. "Hartlepool: Con gain
# from Lab"), declared_at, actor. A listener that raises refuses the whole declaration.
result_declared = Signal()

# Sent inside the publishing transaction of a general election's exit poll (results/exit_poll.py).
# Arguments: exit_poll (with card_html rendered), actor.
exit_poll_published = Signal()
