"""What customers say to steer a flow, and what the bot says back: plain data, easy to extend.

Phrases are matched on normalised text (lowercase, apostrophes dropped, other punctuation as
spaces) and on whole words, so write them naturally: ``"what's that for"`` matches
"What's that for?". :mod:`concierge.flows.signals` holds the matching rules.
"""

from __future__ import annotations

# "Talk to a person" — at any point, anywhere in the message.
HUMAN = (
    "human", "humans", "human being", "agent", "live agent", "representative", "operator",
    "real person", "actual person", "live person", "talk to a person", "speak to a person",
    "speak with a person", "talk with a person", "chat with a person", "want a person",
    "need a person", "talk to someone", "speak to someone", "speak with someone",
    "talk with someone", "someone on your team", "staff member", "a rep", "the rep",
)  # fmt: skip

# "Stop the questions" — the message starts with one of these (after FILLERS), is short, and
# any words after it are CANCEL_TAIL words ("never mind, I don't need it"; not "stop buttons").
CANCEL = (
    "cancel", "never mind", "nevermind", "nvm", "stop", "forget it", "forget about it",
    "quit", "exit", "abort", "i changed my mind", "changed my mind", "dont bother",
    "no longer needed", "leave it",
)  # fmt: skip
CANCEL_MAX_WORDS = 8
CANCEL_TAIL = (
    "please", "thanks", "thank", "you", "that", "this", "it", "now", "for", "the", "a", "all",
    "everything", "then", "anyway", "i", "dont", "need", "want", "asking", "questions",
    "request", "quote", "me", "bye", "these", "those", "ok", "okay",
)  # fmt: skip

# "Why do you need that?" — the whole message is one of WHY_ALONE, or it contains one of WHY.
WHY_ALONE = ("why", "how come", "what for", "but why", "why though", "why that", "why so")
WHY = (
    "why do you need", "why do you want", "why do you ask", "why are you asking",
    "why would you need", "why is that needed", "why does that matter", "why does it matter",
    "why is that", "why should i", "whats that for", "what is that for", "whats this for",
    "what is this for", "what do you need that for", "what do you need it for",
    "what do you need this for", "what will you do with", "what are you going to do with",
    "what is it for", "whats it for",
)  # fmt: skip

# Words said before the real message ("ok, never mind").
FILLERS = ("ok", "okay", "oh", "um", "uh", "hmm", "well", "actually", "just", "please", "sorry",
           "ah", "no", "so", "and")  # fmt: skip

# Optional questions: "skip". SKIP_STARTS for free-text answers (the message must start with
# one and be short); SKIP anywhere in a short message for typed answers that did not parse.
SKIP_STARTS = (
    "skip", "pass", "no", "none", "nope", "n a", "na", "nothing", "not sure", "unsure",
    "dont know", "do not know", "idk", "no idea", "rather not", "id rather not", "prefer not",
    "i dont have", "i do not have", "dont have", "not now", "later", "not yet",
)  # fmt: skip
SKIP = (*SKIP_STARTS, "no thanks", "no budget", "not applicable")
SKIP_STRICT_MAX_WORDS = 5
SKIP_MAX_WORDS = 8

# Yes and no. The longest phrase at the start of the message decides; failing that, one of
# the STRONG words anywhere (but never when the message also sounds UNSURE).
YES = (
    "yes", "y", "yeah", "yea", "yep", "yup", "ya", "sure", "correct", "thats right",
    "that is right", "thats correct", "that is correct", "all right", "alright", "ok", "okay",
    "affirmative", "absolutely", "of course", "definitely", "certainly", "i am", "i do",
    "i have", "go ahead", "please do", "sounds good", "looks good", "all good", "perfect",
    "confirm", "confirmed", "true", "indeed", "exactly", "yes please",
)  # fmt: skip
NO = (
    "no", "n", "nope", "nah", "no thanks", "incorrect", "wrong", "negative", "false",
    "not really", "not yet", "im not", "i am not", "i dont", "i do not", "i havent",
    "i have not", "never", "no way", "not at all",
)  # fmt: skip
YES_STRONG = ("yes", "yeah", "yep", "yup", "correct")
NO_STRONG = ("no", "nope", "nah", "incorrect")
UNSURE = ("maybe", "not sure", "perhaps", "dont know", "do not know", "unsure", "possibly",
          "might be", "idk", "no idea")  # fmt: skip

# At the confirmation: "change the email", "that's wrong".
CHANGE = ("change", "edit", "fix", "update", "wrong", "mistake", "not right", "not correct",
          "incorrect", "correct the", "modify", "different")  # fmt: skip

# A message that starts like a question (for telling side questions from free-text answers).
QUESTION_STARTS = (
    "what", "whats", "where", "wheres", "when", "how", "hows", "why", "who", "whos", "which",
    "do", "does", "did", "can", "could", "is", "are", "will", "would", "should", "may",
)  # fmt: skip

# Words for slot types when a customer names the answer to change ("change the email").
TYPE_WORDS = {
    "email": ("email", "e mail", "email address"),
    "phone": ("phone", "phone number", "number to call"),
    "money": ("amount", "budget", "price"),
    "number": ("quantity", "how many", "number"),
    "date": ("date", "when", "timeline", "day"),
}

# What the bot says.
DEFAULT_WHY = "It helps the team who picks this up help you faster, without asking again."
DEFAULT_HINTS = {
    "text": "A few words are fine.",
    "choice": "Please choose one of: {choices}.",
    "email": "Please give an email address, like name@example.com.",
    "phone": "Please give a phone number with the area code, like 503-555-0100.",
    "money": "Please give an amount in dollars, like 25,000.",
    "number": "Please give a number, like 300.",
    "date": "Please give a date, like March 15, 2027.",
    "yes_no": "Please answer yes or no.",
}
NEEDED = "I need an answer to this one to go on."
AT_LEAST = "Please give {what} of at least {limit}."
AT_MOST = "Please give {what} of at most {limit}."
BETWEEN = "Please give {what} between {low} and {high}."
RANGE_WHAT = {"money": "an amount", "number": "a number"}
CONFIRM_INTRO = "Here's what I have:"
CONFIRM_QUESTION = "Shall I pass this on?"
CONFIRM_HINT = "Please say yes to send it, or tell me what to change."
CHANGE_QUESTION = "What should I change?"
CHANGE_HINT = "Please pick the answer to change, or say nothing."
COMPLETE_REPLY = "Thanks, that's everything I need."
CANCELLED_REPLY = (
    "No problem, I've stopped those questions. Is there anything else I can help with?"
)
YES_LABEL = "Yes"
NO_LABEL = "No"
CONFIRM_YES_LABEL = "Yes, send it"
CONFIRM_NO_LABEL = "Change something"
