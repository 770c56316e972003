"""The questionnaires' delays and thresholds."""

# An unanswered invitation gets one reminder this many days after it was sent.
REMINDER_AFTER_DAYS = 7
# The link (and the invitation) expires this many days after it was sent.
LINK_VALIDITY_DAYS = 30
# Only steps reached this recently are invited: when the service starts in a territory, people who
# reached a step long ago are not asked about it.
STEP_LOOKBACK_DAYS = 60
# The employment questionnaire is sent this many months after the start of the job.
EMPLOYMENT_DELAY_MONTHS = 6
# Results of a group with fewer answers are hidden, so that nobody can be recognised.
MIN_GROUP_SIZE = 5
