"""The wording cues behind sentence roles: general English patterns, never one incident's text.

Each pattern names a linguistic signal vendors use across status pages: causal connectives
("caused by", "due to", "stemmed from", "traced to", "from preliminary analysis,") for
causes, hedges for preliminary causes, past-tense restoring actions, active or passive
("rolled back", "was resolved at 11:37 by adding"), for mitigations, future or modal
commitments for prevention, symptoms for impact, and progress phrases for status.
Weaker signals are gated so that a sentence which is not confidently a cause is not drafted
as one: a fault named only by a noun ("a race condition") counts when the system is the
subject, not the team; affected customers as the subject describe impact even next to a fix
verb; a link alone makes reference text only when nothing stronger is said.
Every cue was checked across vendors: read from one vendor's errors, kept only when it held on
the other's sentences. `postmortem.report.roles` decides the order they are tried in.
"""

from __future__ import annotations

import re
from typing import Literal


def _any(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


#: A stated mechanism: something caused, triggered or resulted in the outage.
CAUSE = _any(
    r"\b(?:was|were|is|are|been)\s+(?:\w+\s+){0,2}(?:caused|triggered|introduced)\s+(?:by|after|"
    r"when)\b|\bto cause\b|^(?!this resulted in).*\bresulted in\b",
    r"\broot cause (?:was|is|has been) (?:identified|determined|found) (?:as|to be)\b",
    r"\b(?:may|might|could) have (?:been )?(?:caused|triggered|led to)\b",
    r"\binadvertently (?:reduced|changed|modified|removed|deleted|disabled|introduced|caused|"
    r"pushed|"
    r"applied|set|blocked|dropped)\b",
    r"\b(?:root cause|trigger|cause|source) (?:(?:of|for) (?:the|this) (?:issue|incident|outage|"
    r"problem|(?:service )?disruption|degradation|impact) )?(?:was|is|has been)\b"
    r"(?! (?:identified|found|"
    r"understood|determined|not|still|under|being))",
    r"\b(?:this|which|that|it|they) (?:then |ultimately |in turn |also )?(?:caused|triggered|"
    r"led to|exposed|introduced)\b",
    r"\bdue to (?!(?:an?|the|this) (?:\w+ )?(?:issue|problem|incident|outage|impact)\s*(?:[.,]|$))",
    r"^(?!.*\bexperienc).*, (?:resulting in|leading to|triggering|causing)\b",
    r"\b(?:caused|triggered) (?:by|the|a|an|this|elevated|increased|widespread)\b",
    r"\bstemm\w* from\b|\btraced (?:\w+ ){0,4}to\b|\bresult(?:ed)? of (?:a|an)\b",
    r"\b(?:we|engineers|the team) (?:identified|determined|found) (?:that|the cause "
    r"(?:as|to be)|a (?:bug|misconfiguration|defect|regression|dependency))\b",
    r"\bin a (?:degraded|failed|unhealthy) state\b",
    # an opener that announces findings: what follows is the (preliminary) cause
    r"^(?:from|based on|per) (?:the |our )?(?:preliminary|initial) (?:analysis|investigation|"
    r"findings)\b",
)
#: A faulty mechanism named by a noun ("a race condition", "connection exhaustion"): a cause
#: only when the sentence is about the system, not about what the team did to the fault.
MECHANISM = _any(
    r"\b(?:unintentional(?:ly)?|unexpected(?:ly)? (?:response|behaviou?r|interaction)|latent|"
    r"regression (?:that|which|in|was)|bug "
    r"in|(?:a|the|existing) misconfigur\w+|race condition|exhaust\w*|overwhelm\w*|hot shard|"
    r"exceed(?:ed|ing)?\b[^.]{0,40}capacity|was introduced)",
)
#: The vendor's own people as actors: the sentence tells what they did, found or believed.
ACTOR = re.compile(r"\b(?:we|us|the team|engineers?)\b", re.IGNORECASE)
#: A cause offered as not yet certain.
HEDGE = _any(
    r"\bpreliminary\b|\b(?:may|might|could) have (?:been )?(?:caused|triggered|led to)\b",
    r"\bsuspected\b",
    r"\binitial (?:investigation|analysis|findings)\b",
    r"\b(?:we )?believe[sd]? (?:that )?(?:the |this )?(?:issue|cause|incident|problem)\b",
    r"\bappears? to (?:have been|be) (?:caused|due|related|triggered)\b",
    r"\b(?:is|was) (?:likely|probably|possibly)\b",
    r"\bcorrelat\w+\b",
)
#: Talk about the cause that states none: "investigating the root cause".
NO_CAUSE = _any(
    r"\b(?:investigat\w+|determin\w+|understand\w*|identify\w*|look\w* into|analy[sz]\w+|"
    r"working to \w+) (?:the |a )?(?:root )?cause\b",
    r"\broot cause (?:analysis|investigation|fix)\b",
    r"\b(?:identified|found|understood|isolated|determined) (?:the|a|a potential|a likely|"
    r"the likely|the potential|the underlying|the probable) (?:root )?(?:cause|source|issue)"
    r"\b(?! (?:as|to be|was)\b)",
    r"\bidentified (?:an?|the) (?:issue|problem|cause)\b(?! (?:with|in|where) \w+ \w+ (?:caus|"
    r"trigger))",
    r"\b(?:fix\w*|address\w*|remediat\w*) (?:the |this )?(?:underlying|root) cause",
    r"\b(?:that|which) (?:caused|triggered|resulted in|led to) (?:this|the) (?:incident|issue|"
    r"outage|problem|delays|disruption)",
    r"\bruled out\b|\bcaused (?:us|our \w+|the team|engineers) to\b",
    r"\b(?:no|not|yet to)\b[^.]{0,30}\b(?:publish|disclos|confirm|share|given|announc)\w*[^.]{0,20}"
    r"\b(?:cause|reason)",
)
#: A concrete action taken that restored service or reduced impact.
MITIGATION = _any(
    r"\b(?:rolled|rolling) (?:\w+ ){0,3}back\b|\brollback of\b|\breverted\b|\breverting\b",
    r"\b(?:was|were|been|is|are) (?:\w+ ){0,2}(?:mitigated|resolved|restored|fixed) (?:by|after|"
    r"when|once|through)\b",
    r"\bmitigated (?:the|this) (?:issue|incident|impact)\b[^.]{0,80}\b(?:by|after|through)\b",
    r"\b(?:we|engineers|the team|google engineers) (?:have |then |quickly |successfully )?"
    r"(?:restarted|redeployed|scaled|disabled|re-?enabled|drained|failed over|re-?routed|"
    r"redirected|rebalanced|added|increased|removed|paused|stopped|blocked|throttled|corrected|"
    r"deployed a (?:fix|change|configuration|patch) (?:that|to|which)|applied a (?:fix|"
    r"configuration|patch) (?:that|to|which)|shifted|moved|purged|cleared|flushed|repaired|"
    r"replaced|isolated|rate.limited|upgraded|patched)\b",
    r"\b(?:restoring|restarting|reverting|disabling|draining|adding|removing|scaling) [^.]{3,80}"
    r"\b(?:mitigated|resolved|restored|fixed)\b",
    r"\b(?:which|this|that) (?:has )?(?:mitigated|resolved|restored)\b",
    r"\bafter (?:we|engineers) (?:identified|stopped|disabled|reverted|rolled)\b",
    r"\b(?:customers|users|you) (?:can|could|may|should) (?:\w+ ){0,3}(?:retry|use|switch|"
    r"upgrade|downgrade|create|delete|recreate|disable|enable|run|set|avoid|restart|select|"
    r"manually|workaround|re-?run|attach|login|log in|access)\b",
    r"\bto (?:work around|mitigate)\b[^.]{0,60}\b(?:use|run|set|upgrade|retry|create)\b",
    r"\bdirected (?:affected )?users to\b",
    r"\b(?:customers|users) (?:are|were) (?:\w+ )?(?:advised|informed|encouraged|recommended) to\b",
    r"\b(?:customers|users) (?:should|can|could) (?:\w+ ){0,2}(?:utili[sz]e|use)\b",
    r"\bmitigated\b[^.;]{0,50}\b(?:by|when|after)\b|\brollout to (?:disable|revert|remove|fix)\b",
    r"\bto (?:mitigate|reduce|prevent(?: any| further)?"
    r"(?: new| further)?) (?:the )?(?:current )?(?:customer |further |new )?impact\b",
    r"\b\w+ing (?:\w+ ){0,5}(?:has|have) (?:mitigated|resolved|restored)\b",
    r"^(?:restored|reverted|rolled back|restarted)\b|\bscal(?:ed|ing) (?:out|up)\b",
    r"\b(?:rollback|roll back|rolled back|rolling back|revert\w*|failing over|failed over)\b",
    r"\b(?:has|have|was|were|had) (?:\w+ ){0,2}(?:implemented a pause|paused|halted|stopped|"
    r"suspended|"
    r"disabled|restarted|scaled (?:up|out)|redirected|rerouted|drained|throttled)\b",
    r"\b(?:engineers|we|the team) (?:\w+ ){0,2}(?:paused|halted|suspended|froze|disabled)\b",
    r"\b(?:a|the) workaround (?:was|is) (?:provided|available)\b|\bas a workaround\b",
    r"\bworkaround: \w+",
    r"^to (?:fix|work around|mitigate|resolve) (?:this|the) (?:issue|problem)\b",
    r"\b(?:mitigated|resolved|restored|fixed)\b[^.;]{0,40}\bby \w+ing\b",
    r"\b(?:failover|rollback|restart|redeploy\w*) (?:was|were) (?:executed|performed|initiated|"
    r"completed|carried out)\b",
    r"\b(?:we|engineers|the team) (?:have |then )?applied an? (?:\w+ )?(?:fix|configuration|patch|"
    r"change) (?:that|to|which)\b",
    r"\b(?:has|have|had) been (?:\w+ )?(?:corrected|repaired|rolled back|reverted|restarted|"
    r"re-?enabled|rerouted|redeployed|reconfigured)\b",
)
#: Work against recurrence or for faster detection.
PREVENTION = _any(
    r"\b(?:to )?(?:prevent|avoid|reduce the (?:likelihood|risk)\w*)\b[^.]{0,40}\b(?:recurrence|"
    r"similar|again|future|reoccur\w*|this class|repeat\w*|from happening)",
    r"\bgoing forward\b|\bin the future\b|\bfuture (?:incidents|issues|occurrences)\b",
    r"\b(?:we|google|github|engineers|the team|we're|we've|we'll) (?:will|are|have|plan to|"
    r"intend to|also|continue to|are also)? ?(?:also )?(?:be )?(?:add|adding|improv\w+|"
    r"implement\w*|introduc\w+|enhanc\w+|strengthen\w*|harden\w*|review\w*|audit\w*|expand\w*|"
    r"investing|build\w*|updat\w+ our|develop\w*|evaluating improvements|"
    r"work\w* (?:to|on) (?:improv|ensur|prevent|reduc|add|harden|strengthen|enabl)\w*)\b",
    r"\b(?:architectural|structural|long-term) (?:changes|work|improvements)\b|\bcontinued "
    r"improvements\b|\bcommitted to (?:\w+ ){0,3}improving\b|\bimprovements? to\b",
    r"\bsteps? (?:toward|to) prevent",
    r"\b(?:alerting|monitoring|detection|safeguards?|guardrails?|validation|tests?)\b[^.]{0,50}"
    r"\b(?:to (?:detect|catch|prevent|avoid)|earlier|sooner|faster)\b",
)
#: Progress or procedure with no cause, impact or fix in it.
STATUS = _any(
    r"\b(?:we are|we're|we have been|engineers are|our engineering team (?:is|continues)|"
    r"the team is|we continue) (?:\w+ ){0,3}(?:investigat\w+|look\w* into|work\w*|monitor\w*|"
    r"continu\w+|aware|evaluat\w+|deploy\w*|apply\w*|seeing|observ\w+|progress\w*|validat\w+|"
    r"implement\w*|rolling out|making progress)",
    r"\b(?:next update|provide (?:an |more |further )?(?:update|information|details)|"
    r"will (?:provide|share|post|publish|update)|updates? (?:as|when)|root cause analysis|"
    r"ETA|expected to complete|no (?:current )?ETA)\b",
    r"\b(?:has|have) been (?:resolved|mitigated|restored|fully restored)\b(?![^.]{0,20}\b(?:by|"
    r"after)\b)",
    r"\b(?:operating normally|recovered|recovering|recovery|back (?:to|at) normal|"
    r"fully operational|is resolved|issue is mitigated|"
    r"mitigation (?:is |was )?(?:in progress|underway|complete\w*)"
    r"|investigations? (?:is |are )?ongoing|under investigation)\b",
    r"^(?:workaround|fix|mitigation)\s*:\s*(?:none|n/?a|no\b|not\b|there is no)",
    r"\b(?:was|were|is|are) (?:still |actively )?investigating\b|\banaly[sz]ing the situation\b",
    r"\bworking to (?:mitigate|resolve|fix|address)\b|\bestimated to take\b",
    r"\bapplied a mitigation\b|\bworking (?:on|towards?) (?:a |the )?(?:fix|mitigation|"
    r"resolution)\b",
    r"\bcaught up\b|\b(?:now|again) \w+ normally\b|\bno (?:known )?workaround\b|^none\b",
    r"\bno (?:further|more|ongoing) impact\b",
    r"\bcommunications? to (?:the )?(?:affected )?customers\b|\bnotified (?:\w+ )?customers\b",
    r"\b(?:partially|mostly|largely) (?:resolved|mitigated|restored)\b",
    r"\b(?:working|taking (?:\w+ )?steps) to (?:\w+ and )?(?:mitigate|resolve|fix|address)\b",
    r"\b(?:we|engineers) (?:have |\u2019ve |'ve )?mitigated (?:the|this) "
    r"(?:issue|incident|impact)\b(?![^.]{0,80}\b(?:by|after|through)\b)",
    r"\b(?:alerted|notified) (?:to|of) the (?:issue|"
    r"problem)\b|\bstarted an investigation\b",
)
#: A cause named only to say what was undone: "reverting the change that caused it".
BACK_REFERENCE = _any(
    r"\b(?:that|which) (?:had )?(?:caused|triggered|introduced)\b|\bcausing the\b",
    r"\b(?:change|changes|deployment|regression) (?:that|which) (?:triggered|caused)\b",
    r"\b(?:regression|change|changes|deployment) (?:was|were) (?:\w+ ){0,3}"
    r"(?:rolled back|reverted)",
)
#: A generic fix that names no action ("resolved by a mitigation"): status.
GENERIC_FIX = _any(
    r"\b(?:appl(?:ied|ying)|deploy\w*|put in place|implemented|rolling out|rolled out|"
    r"identified|by) "
    r"(?:a|the)"
    r" (?:mitigation|fix)\b(?!\s+(?:that|which|for|to (?!production)))",
    r"\bmitigation (?:work )?(?:is |was )?(?:\w+ )?(?:in progress|underway|complete\w*)",
    r"\b(?:started|begun|began) (?:the )?mitigation\b|\bmitigation efforts\b",
    r"\bworking with (?:\w+ ){1,4}to mitigate\b",
)
#: What a bullet list after a lead-in sentence ending in ":" does, by its first word.
ACTION_BULLET = re.compile(
    r"^(?:improv|implement|introduc|add(?:ing)?\b|enhanc|review|audit|modify|modifying|ensur|"
    r"harden|reduc|optimiz|fixing|automat|expand|extend|speed)",
    re.IGNORECASE,
)
#: Who or what was affected, and how.
IMPACT = _any(
    r"\b(?:error|errors|latenc\w+|fail\w*|unavailab\w+|unable|could not|cannot|can't|"
    r"degrad\w+|delay\w*|timeouts?|"
    r"timing out|outage|disruption|slow\w*|intermittent\w*|elevated|increased|inaccessible|"
    r"not (?:load|work|appear|receiv|process|propagat)\w*|missing|stale|incorrect\w*|dropp\w+|"
    r"packet loss|connectivity|impact\w*|affect\w*|experienc\w+)\b",
    r"\b\d+(?:\.\d+)?\s?%|\bbetween \d{1,2}:\d{2}\b|\bfor (?:a duration of|approximately|"
    r"about) \d",
    r"^(?:incident (?:start|end)|duration|regions?/zones|affected services)\b",
)
#: Courtesy, support text, disclaimers.
OTHER = _any(
    r"\bapologi[sz]\w*|\bthank you\b|\bcritical infrastructure\b|\bsorry\b|\bpatience\b",
    r"\bassure you\b|\bdetails\b[^.]{0,40}\bbelow\b",
    r"\bplease (?:note|reach|refer|"
    r"contact|see)\b|\bopen(?:ing)? a (?:support )?case\b|^\(all times|^\[\d+\]",
)
#: An instruction to customers to use a workaround: a mitigation whatever the tense around it.
WORKAROUND = _any(
    r"\b(?:follow|use|apply) (?:the )?(?:\w+ ){0,2}workaround\b",
    r"\bworkaround (?:\w+ ){0,3}(?:may|can|should) be (?:used|applied)\b",
    r"\b(?:we|google|github) (?:\w+ )?(?:recommend|advise|suggest)\w* (?:that )?(?:customers|"
    r"users|you|\w+ing)\b",
)
#: A link to documentation: reference text unless a cause or fix is stated beside it.
LINK = re.compile(r"\bhttps?://", re.IGNORECASE)
#: Affected users or resources as the subject: what happened to them, not what restored service
#: ("affected instances failed over"), unless they are told what to do ("can retry").
AFFECTED_SUBJECT = re.compile(
    r"^(?:affected|impacted) (?:customers|users|instances|projects|clusters|services|requests)\b"
    r"(?! (?:can|could|should|are (?:advised|encouraged|recommended)|were (?:advised|encouraged|"
    r"recommended)|may (?!have)))",
    re.IGNORECASE,
)
#: Headings that set the role of the lines under them (GCP reports, GitHub summaries).
HEADING_ROLES: tuple[
    tuple[re.Pattern[str], Literal["cause", "mitigation", "prevention", "impact"] | None], ...
] = (
    (re.compile(r"remediation and prevention", re.I), None),
    (re.compile(r"workaround|customer action|action required", re.I), "mitigation"),
    (re.compile(r"prevent|follow.?up|action items|next steps|immediate steps", re.I), "prevention"),
    (re.compile(r"root cause|cause|trigger", re.I), "cause"),
    (re.compile(r"impact|diagnosis|symptom|affected", re.I), "impact"),
    (re.compile(r"remediation|mitigation|resolution", re.I), "mitigation"),
)
#: A labelled line: "Workaround: ...", "Diagnosis: ...", "Summary: ...".
LABEL = re.compile(r"^([A-Z][A-Za-z/ ]{2,30}?)\s*:\s*(.+)$")
#: A forecast: "may still fail until the rollback completes" is not what restored service.
FORECAST = re.compile(
    r"\b(?:may|might) (?:\w+ )?(?:continue|see|experience|fail|notice|encounter)\b", re.IGNORECASE
)
#: A modal or future verb: what will or may happen is not what restored service.
FUTURE = re.compile(
    r"\b(?:will|plan(?:s|ning)? to|intend\w* to|going to|are (?:adding|improving|"
    r"implementing|introducing|working to))\b",
    re.IGNORECASE,
)
