"""Plain text: the terminal's and the grounded chat's form of each result.

Functions take `style`, a `click.style`-like callable: the CLI passes click.style (colour on a
terminal, stripped by click.echo elsewhere); every other caller gets plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from corpus.display import NOT_LEGAL_ADVICE, shorten
from corpus.taxonomy import load_taxonomy

from ..audit.result import MET, UNKNOWN, UNMET
from ..compare import SYMBOL, word_diff

# The findings that carry the verdict in a summary (an unclear verdict shows its open questions).
SHOWN_EFFECT = {"prohibited": "prohibited", "conditional": "condition", "allowed": "grant", "unclear": "review"}
VERDICT_COLOUR = {"prohibited": "red", "conditional": "yellow", "allowed": "green", "unclear": "magenta"}
VERDICT_HEAD = {
    "prohibited": "PROHIBITED: a clause that applies forbids this use.",
    "conditional": "CONDITIONAL: allowed if you act on the conditions below.",
    "allowed": "ALLOWED: the terms grant this use and no clause at hand restricts it.",
    "unclear": "UNCLEAR: the texts at hand cannot decide this; see what is missing.",
}
# The words of each kind of condition and of missing item (agent/check/result.py), from their fields.
CONDITION_WORDS = {
    "disclose_ai": "disclose to people that they are interacting with AI ({license})",
    "mark_generated": "mark the content the model generates as machine-generated wherever it goes out (an express "
                      "disclaimer, caption, watermark or metadata) ({license})",
    "tell_risks": "tell the end users about the AI system's known risks ({license})",
    "register": "register with or get written authorisation from the licensor before commercial use ({license})",
    "user_threshold": "request a separate license from the licensor: {users:,} users exceeds the {limit:,} "
                      "monthly-active-user threshold of {license}",
    "revenue_threshold": "obtain the licensor's separate license: revenue above {amount} ({license})",
    # a threshold whose clause asks for a displayed name, not a license (a `mark` read from the clause)
    "user_threshold_display": "display \"{mark}\" prominently in the product: {users:,} users exceeds the {limit:,} "
                              "monthly-active-user threshold of {license}",
    "revenue_threshold_display": "display \"{mark}\" prominently in the product: revenue above {amount} ({license})",
    "human_decision": "keep a person making each final decision, with real authority to overrule the model, and tell "
                      "the people affected how AI is used ({license})",
    "state_machine_made": "state clearly to the people affected that each decision or obligation is machine-generated "
                          "({license})",
    "notices": "keep the required notices / attribution ({license})",
    "naming": "name the derived model as {license} requires",
    "acknowledge": "acknowledge the model in the publication as {license} asks",
    "pass_restrictions": "pass the use restrictions of {license} on to your users or recipients",
    "share_alike": "release your modifications under {license}",
    "patent_termination": "suing over the model's patents terminates the patent license of {license}",
    "statement_duty": "include the licence's required statement in public statements about what you built on the "
                      "model ({license})",
    "competitor_licence": "request the licensor's own licence first: the licence withholds its rights from a "
                          "product or service that competes with the licensor's ({license})",
    "hardware_approval": "send the licensor a written request and get its approval before running the work on "
                         "hardware you develop ({license})",
    "regional": "check the regional exclusion of {license} for {where}: the rights may not extend there",
    "derivative": "treat the trained model as a derivative of {license}: its terms and use restrictions pass on",
    "card_conflict": "model card conflict: {conflict}",
    "carve_out": "keep the content within the {purposes} purpose that {license} leaves out of its ban on {category}",
}
MISSING_WORDS = {
    "text": "{name}: {why}",
    "policy": "{name} is incorporated by {license} but its text is not in the corpus",
    "vague": "the use is too vague to check: say what the model will do, for whom, and whether you distribute it, "
             "host it or sell it",
    "language": "the use is read in English only (it reads as {language}): describe it in English to check it "
                "against every restriction",
    "not_one_license": "{name} summarises several licences side by side, not the terms of one: name the licence that "
                       "applies to the model",
    "regional_policy": "{name} applies and is known to withhold the license's rights in {where} (for some models or "
                       "parties); its text is not in the corpus: add it to check whether the exclusion reaches this use",
    "out_of_scope": "{license} leaves {name} out of what it licenses: this text does not decide its use; check "
                    "the license that {name} is released under",
    "threshold": "the revenue is close to the threshold of {license} ({amount}) once converted at approximate rates: "
                 "compare it in the license's own currency",
}
# Why each finding counts (agent/check/result.py `Reason`), from its fields; {name} is the text's display name.
REASON_WORDS = {
    "forbids": "{name} forbids this use ({category})",
    "may_involve": "{name} forbids {category}, which the use may involve: review whether it does",
    "uncovered": "the use is {category}; {name} lists use restrictions that may cover it: review them",
    "unlawful": "{category} as described is unlawful, and {name} forbids unlawful use",
    "unlawful_act": "the use as described reads as an unlawful act, and {name} requires compliance with the law",
    "lawful_where": "whether this use is lawful depends on the jurisdiction, which the use does not state, and {name} "
                    "requires compliance with the law",
    "unlawful_inquiry": "{category} may be unlawful, and {name} forbids unlawful use; for the {purposes} purpose the use "
                        "states, it turns on the use policy {name} incorporates, whose text is not in the corpus",
    "carve_out": "{name} forbids {category} but leaves out content for {purposes} purposes, which the use states",
    "disclose_ai": "{name} requires telling people they deal with AI",
    "tell_risks": "{name} requires telling end users about the AI system's known risks",
    "disclosure_omitted": "{name} requires this disclosure, which the described use omits",
    "guardrails": "bypassing the model's guardrails ends the license",
    "human_decision": "{name} restricts automated decisions; a person makes the final decision here",
    "no_cure": "{name} bans this kind of decision-making even when a person makes the final decision",
    "machine_made_stated": "{name} bans fully automated decisions only without a clear statement that they are "
                           "machine-generated, which the use makes",
    "who_decides": "{name} restricts automated decisions of this kind; say whether a person makes each final decision",
    "noncommercial": "{name} allows non-commercial use only",
    "commercial_doubt": "{name} allows non-commercial use only; whether {doubt} makes this use commercial depends on "
                        "the license's definition: review it",
    "non_production": "{name}'s permitted use includes internal, non-production use such as evaluation and testing, "
                      "which this use is; putting it into production would be commercial use",
    "charitable": "{name}'s non-commercial use includes a charitable organisation's use for its purposes, with no "
                  "payment arising from the model or its output, which this use is",
    "indirect_payment_open": "{name}'s non-commercial use takes in a charity's use only so far as no direct or "
                             "indirect payment arises; whether money raised with the output is such payment, the text "
                             "does not settle: review it",
    "hobby_prong": "{name}'s non-commercial use includes personal hobby use unconnected with work, which this use is",
    "research_purpose": "{name} permits non-commercial research; a study with research ends and no product behind it "
                        "is that, whoever employs the researchers",
    "research_motive_open": "{name} permits research not aimed at commercial advantage; whether a company's study is, "
                            "the use does not say (is a product behind it?): review it",
    "evaluation_open": "{name}'s permitted use includes evaluation; whether this trial stays in-house and out of "
                       "production, as that asks, the use does not say: review it",
    "production_excluded": "{name} leaves production use out of its grant; putting the model into ongoing use for an "
                           "audience is production use, though nothing is sold",
    "business_only": "{name} is for businesses and organisations, not personal or household use",
    "research_only": "{name} allows research use only",
    "product_development_excluded": "{name} defines its permitted purposes to leave out product development; a "
                                    "company's trial or R&D toward its products is that",
    "definition_exception": "{name} says an application or product that uses the model in the background is not "
                            "{category}, which this use is",
    "listed_characteristic": "{name} forbids predicting the characteristics of people it lists ({category}), "
                             "whatever the purpose; the use predicts one of them",
    "teaching_granted": "{name} grants its rights for {purposes}, which takes in this teaching use",
    "internal_business": "{name} grants use for internal business purposes as well as non-commercial use; this use "
                         "stays inside the user's own business",
    "product_use_excluded": "{name} defines its permitted purposes to leave out product development and use in "
                            "products or services, which this use is",
    "register": "commercial use needs registration or authorisation",
    "user_threshold": "above {limit:,} monthly active users a separate license is needed",
    "revenue_threshold": "above {amount} in revenue a separate (enterprise) license is needed",
    "user_threshold_display": "above {limit:,} monthly active users the product must display \"{mark}\"",
    "revenue_threshold_display": "above {amount} in revenue the product must display \"{mark}\"",
    "notices": "sharing the model or a product with it carries notice duties",
    "naming": "a derived model must carry the licensor's naming",
    "family_duty": "{name} attaches this duty to uses of a {category} (a credit or notice), which this use is",
    "acknowledge": "publishing results obliges you to acknowledge the model",
    "no_hosting": "{name} does not allow serving the model to others (a hosted service or API)",
    "pass_restrictions": "the use restrictions must be passed on to recipients",
    "no_redistribution": "{name} does not allow passing the model or service on",
    "relicense": "copies and derivatives must stay under this license's own terms; passing them on under other "
                 "terms is not allowed",
    "share_alike": "modified versions must be shared under the same license",
    "no_derivatives": "{name} does not allow sharing a model derived from it (no derivatives)",
    "grant": "{name} grants this",
    "excluded_industry": "{name} excludes licensees in {industry}",
    "industry_tie": "{name} excludes licensees in {industry} and may reach those tied to them (affiliates, agents): "
                    "review",
    "patent_termination": "bringing such a claim ends your patent license",
    "express_carve_out": "{name} says this section does not limit uses for {purposes}, which this use is",
    "competing_service": "{name} forbids using it for its defined {category} (a hosted, managed or cloud service "
                         "offered to others), which this use is",
    "statement_duty": "{name} requires its statement in any public statement about a work built on the model",
    "licensor_competitor": "{name} asks a licensee whose product or service competes with the licensor's own to "
                           "request a separate licence, and withholds its rights until then",
    "hardware_approval": "{name} lets the work run only on supported hardware; running it on hardware you develop "
                         "needs the licensor's written approval",
    "litigation_defensive": "{name} ends the license for such a claim unless it answers a claim first brought against "
                            "you, which this use's claim does",
    "license_termination": "bringing such a claim ends every license granted to you, so the use cannot continue",
    "own_family": "the ban on training with outputs leaves out models of the licensed family and their derivatives, "
                  "which the trained model is",
    "noncommercial_model": "the ban on improving other models with it leaves out non-commercial models, which the "
                           "trained model is",
    "output_training_ban": "outputs may not be used to train or improve other models",
    "distillation_derivative": "a model trained on the outputs is a derivative and carries these terms",
    "unsupported_region": "{name} may only be used where it is offered; using it from elsewhere (or routing around "
                          "the restriction) is not allowed",
    "threshold_scope_open": "{name} counts the users of the product or service that uses the model (over {limit:,}); "
                            "the use states a count of the organisation's customers but runs the model in an internal "
                            "tool, so whose users count is open",
    "group_counted": "{name} adds the revenue of your affiliates (the group you belong to) to the threshold ({amount}); "
                     "the group's revenue decides",
    "mark_generated": "{name} lets generated content go out only marked as machine-generated (a disclaimer, caption, "
                      "watermark or metadata), which this use's output needs",
    "regional_carve_out": "the license carves out {where}",
    "regional_open": "the license withholds its rights in {where} from some users or some models; whether this use "
                     "is one of them depends on a fact it leaves open (where the user is domiciled or established, "
                     "which model of the family)",
    "regional_exclusion": "the license grants no rights in {where}",
    "sanctioned_place": "{name} may not be used from, or passed to, a place under sanctions or export controls "
                        "({where})",
    "no_endorsement": "{name} forbids using the name of {category} to endorse or promote products derived from it "
                      "without permission, which the use's promotion does",
    "no_output_sharing": "{name} forbids distributing the outputs it generates",
    "output_notice": "{name} attaches a duty to distributing its outputs (an acknowledgement or notice)",
    "location_disguise": "{name} forbids hiding where you are (through a VPN, a proxy or other means)",
    "close_match": "this restriction of {name} closely matches the described use (similarity {similarity:.2f})",
    "may_cover": "this restriction may cover the use (similarity {similarity:.2f}); review it",
    "policy_missing": "this clause incorporates a policy whose text is not in the corpus",
    "copyleft_combination": "{name} forbids combining it with software under a licence that would require its "
                            "disclosure in source form, such as the GPL; this use does that",
    "purpose_limited": "{name} grants its rights only for {purposes}; copies made for people to read are outside it",
    "teaching_outside_research": "{name} grants its rights only for {purposes} and does not name teaching among its "
                                 "purposes; review whether a course counts as research",
    "out_of_scope": "{name} defines what it licenses so as to leave out the model the use names",
    "regional_policy": "this clause incorporates a policy, not in the corpus, known to withhold the rights in {where}",
}
# Why a base model cannot be opened (agent/audit/inherited.py): an audit's problem (a `Remark`, after "base model
# {base}: ") and the texts it would bring (an `Unresolved`) take these words.
_BASE_UNOPENED = {
    "base_unreadable": "unreadable ({text})",
    "base_cache_unreadable": "unreadable in the Hugging Face cache ({text})",
    "base_not_hub_id": "not a Hub id, and no such folder next to the repository",
    "base_hub_error": "{text}",
    "base_unknown": "not in the model registry or the Hugging Face cache; its terms cannot be checked",
}
UNRESOLVED_WORDS = {  # why a text that applies cannot be read (agent/models.py `Unresolved`)
    "registry": "applies to {of} models but is not in the corpus",
    "with_license": "{name} applies with {of} but is not in the corpus",
    "model_unknown": "{model} is not in the model registry nor in the Hugging Face cache; `--fetch` reads it from "
                     "the Hub, or supply --license KEY or --card PATH",
    "unknown_id": "unknown license id {license_id!r}",
    "card_unknown_id": "card license {license_id!r} is not a known license id",
    "base_unknown_id": "{model}'s card license {license_id!r} is not a known license id",
    "no_license": "the card names no license and the folder has no license file",
    "unidentified": "unidentified: it matches no corpus text, so it was analysed from the file as {key_read}; {keep}",
    "error": "{text}",
    "policy_unchecked": "{name} (incorporated by {of}) is not in the corpus",
    **_BASE_UNOPENED,
}
CONFLICT_WORDS = {  # a card's terms disagreeing (agent/models.py `Conflict`)
    "license_name": "card says license {declared[0]!r} but license_name {other!r}",
    "undeclared_file": "{path} is {key}, which the card's license ({declared}) does not name",
    "base_terms": "the card declares {declared}, but base model {base} is under {inherited}, whose terms carry over "
                  "to derivatives",
}
WARNING_WORDS = {  # a draft's consistency warnings (agent/draft/consistency.py `Warning_`)
    "not_open_source": "the Open Source Definition allows no discrimination against fields of use or persons; a "
                       "license with {why} is not open source — call it 'open-weight' or 'responsible AI licensed' "
                       "instead",
    "threshold_research_only": "a research-only license allows no commercial use, so a user or revenue threshold "
                               "never applies",
    "threshold_noncommercial": "with non-commercial use only, a user or revenue threshold for commercial products "
                               "never applies",
    "registration_moot": "registration for commercial use is moot when commercial use is not allowed",
    "restricted_sharing": "{why} govern(s) sharing, which a restricted-distribution license does not allow: the "
                          "clause only matters if you later allow sharing by agreement",
    "no_flowdown": "without flow-down, recipients of Derivatives are not bound by your use restrictions; open "
                   "responsible-AI licenses require passing them on",
    "no_restrictions": "a responsible-AI license without any use restriction; choose some (--restriction core) or "
                       "reference a use policy (--policy-url)",
    "outputs_both_ways": "models trained on Outputs are both forbidden (output training ban) and treated as "
                         "Derivatives; keep one of the two",
    "licensor_owns_outputs": "an open license that claims the Outputs for the Licensor is unusual and makes the "
                             "Outputs hard to reuse",
    "guardrails_without_restriction": "termination for bypassing guardrails is stronger with the matching use "
                                      "restriction (--restriction safety_circumvention)",
    "jurisdiction_excluded": "governing law is {jurisdiction}, a region the license excludes ({region})",
    "naming_without_attribution": "a naming duty without attribution: recipients may not learn which license applies",
}
DRAFT_NOTE_WORDS = {  # how a draft was made (agent/draft/drafter.py `DraftNote`)
    "no_grounding": "no grounding: {error}",
    "grounding_incomplete": "grounding incomplete: {error}",
    "template_changed": "the spec was drafted with template {template}; this is {current}, so the text may differ "
                        "from the original",
    "spec_edited": "the spec was edited since it was drafted: the text differs from the one it recorded",
}
REVIEW_WORDS = {  # the LLM's reading against the grounded verdict (agent/llm/guard.py `VerdictCheck`)
    "stated": "needs human review: the LLM reads this as {llm_verdict}; the grounded check says {verdict}, and the "
              "grounded verdict stands",
    "permissive": "needs human review: the LLM's explanation reads as permissive, but a cited clause prohibits this "
                  "use; the prohibition stands",
}
PARAM_WORDS = {  # a draft's read-back giving a threshold or region otherwise (agent/draft/drafter.py `ParamMismatch`)
    "users": "users {got} != {want}",
    "revenue": "revenue {got} != {want}",
    "regions": "regions {got} lack {want}",
}
NOTE_WORDS = {  # a resolution's notes (agent/models.py `Note`)
    "registry": "{text}", "repo": "{text}", "fetched": "{text}", "error": "{text}",
    "registry_fallback": "{text}; using the registry",
    "chain_stops": "base_model chain stops at {model} (cycle or too deep)",
    "base_outside": "base_model {model} is a file path outside the card's own folder: not followed",
    "base_uploaded": "base_model {model} is a file path: not followed for an uploaded card",
    "base_brings": "base model {model} brings {licenses}: a fine-tune stays bound by its base model's terms",
    "other_license": "card license 'other' ({name}): reading the license files instead",
    "identified": "{path}: identified as {key} (score {score:.2f})",
    "registry_text": "{path}: {name}, read from {source}; `modelterms corpus fetch {key}` keeps it",
    "unidentified": "{path}: not a corpus text; analysed as {key}",
    "read_as_model": "\"{model}\" read as a model under the {key} license terms",
}
# What an audit's duty lacks (agent/audit/result.py `Gap`), from its fields; a license conflict is a gap of its
# conflict kind. {declared} is the declared license, {phrases} the phrases a text asks for (see `_audit_fields`).
GAP_WORDS = {
    "near_copy": "{file} holds {share:.0%} of the wording of {name}: another version of it or an edited copy; a person "
                 "must compare it with the base model's license",
    "no_copy": "no file in the repository holds the text of {name}{shipped}",
    "notice_lacks_wording": "{file} does not contain the required wording",
    "no_notice": "no NOTICE file with the required wording",
    "not_displayed": "the card does not display {phrases}",
    "name_prefix": "the model name {model!r} does not begin with {prefix!r}",
    "declared_unknown": "the declared license ({declared}) is not in the corpus",
    "restrictions_not_carried": "the repository's terms (license: {declared}) do not carry the use restrictions of "
                                "{name}",
    "policy_unnamed": "neither the card nor the repository's files name {name}",
    "fields_absent": "`license: other` without {fields}",
    "dead_link": "license_link {link!r} points to no file of the repository",
    "no_license": "the card declares no license",
    "declared_not_held": "the declared license ({declared}) is not a text the corpus holds",
    "permissive_tag": "{declared} carries none of the use restrictions and terms of {name}",
    "noncommercial_relicensed": "{name} permits non-commercial use only, {declared} permits commercial use",
    "share_alike_relicensed": "{name} requires derivatives under the same license; the card declares {declared}",
    "source_terms_unknown": "the terms of {name} are not in the corpus",
    "dataset_hint": "{dataset} is named after {name}: if it holds {name} outputs, {license} forbids training on them; "
                    "a person must check what the dataset is",
    "output_training_ban": "the card says the model learned from {name} outputs; {license} forbids that",
    "terms_missing": "{name} ({model}): {why}",  # why: the upstream's Unresolved in words
}
# An audit's problems with its input and notes on how it was read (agent/audit/result.py `Remark`).
REMARK_WORDS = {
    "error": "{text}", "text": "{text}",
    "no_card": "no model card (README.md): nothing declares the license or the base model",
    "no_front_matter": "{path} has no YAML front matter: no license or base_model is declared",
    "chain_too_deep": "base_model chain deeper than {depth} at {base}: not followed further",
    "cycle": "base_model cycle: {base} is already in the chain; not followed again",
    "base_no_license": "base model {base}: its card declares no license",
    "declared_unknown": "declared license {ids} is not a known license id",
    "ban_spares_family": "the ban excludes the model's own family, which this repository builds on",
    "no_output_ban": "{ids} state no ban on training with outputs",
    **{kind: "base model {base}: " + words for kind, words in _BASE_UNOPENED.items()},
}
# What a file that meets a duty shows when no line of it is quoted (agent/audit/result.py `Location`).
SHOWN_WORDS = {
    "license_text": "the text of {key}",
    "incorporates_policy": "the shipped {key} incorporates it",
    "policy_shipped": "the policy text is shipped",
    "restrictions_shipped": "ships {key}, which states the use restrictions",
    "own_restrictions": "the repository's own license states use restrictions",
}
# What to do to meet a duty (agent/audit/result.py `Fix`), from its fields.
FIX_WORDS = {
    "license_copy": "add the text of {name} as LICENSE (or a file named after it) at the top of the repository",
    "license_copy_version": "add the text of {name} as LICENSE (or a file named after it) at the top of the "
                            "repository (the version the base model is released under)",
    "notice_file": "add a NOTICE file containing exactly: “{wording}”",
    "attribution_display": "state {phrases} prominently in the model card (README.md)",
    "derivative_naming": "rename the model so that its name begins with \"{prefix}\" (e.g. {example})",
    "flowdown": "ship {name} (it carries the use restrictions) or add its use restrictions to your own license, and "
                "say in the card that recipients must comply with them",
    "policy_reference": "name {policy}{url} in the model card (with its link) so that recipients know it applies",
    "license_consistency": "declare the base's license ({tags}) in the card's `license:` field, or a license that "
                           "keeps its terms",
    "license_fields": "set `license_name:` (a short id) and `license_link:` (the license file, e.g. LICENSE) in the "
                      "card's front matter",
    "output_training": "do not publish a model trained on {name}'s outputs, or retrain it on data whose terms allow "
                       "it; a person must decide whether an exception applies",
    "add_text": "modelterms corpus add FILE --key {key}",
    "name_license": "name the base model's license in its card, or add its text with modelterms corpus add",
}
# The conditions an audit surfaces for the model's users (agent/audit/result.py `Condition`), from its fields; a
# threshold the text gives no number for, or a gate without a prompt, takes its `_unstated` words.
AUDIT_CONDITION_WORDS = {
    "user_threshold": "above {users:,} monthly active users a separate license is needed",
    "user_threshold_unstated": "above a number of monthly active users a separate license is needed",
    "revenue_threshold": "above US${revenue_usd:,.0f} annual revenue a separate license is needed",
    "revenue_threshold_unstated": "above an annual revenue a separate license is needed",
    "user_threshold_display": "above {users:,} monthly active users the product must display \"{mark}\"",
    "revenue_threshold_display": "above US${revenue_usd:,.0f} annual revenue the product must display \"{mark}\"",
    "registration": "commercial use needs registration or written authorisation",
    "geo_restriction": "rights are excluded in some regions{regions}",
    "gated": "downloads are gated: users accept {prompt!r}{fields}",
    "gated_unstated": "downloads are gated on the Hub{fields}",
}
# Why a draft's upstream finding has its status (agent/draft/upstream.py `UpstreamReason`), from its fields and the
# finding's {upstream} key and {term}; {where} is the regions joined, {region} the first of them.
_BINDS = "; it binds you (and your users) whatever the draft says"
UPSTREAM_WORDS = {
    "restriction_carried": "the draft carries {upstream}'s use term on {name}",
    "restriction_dropped": "{upstream} has a use term on {name} that must reach recipients of derivatives; the draft "
                           "drops it (add --restriction {term})",
    "restriction_binds": "{upstream} has a use term on {name}; you stay bound by it, consider --restriction {term}",
    "noncommercial": "{upstream} allows non-commercial use only",
    "noncommercial_dropped": "{upstream} allows non-commercial use only; the draft allows commercial use "
                             "(use --noncommercial)",
    "research_only": "{upstream} allows research use only",
    "research_only_exceeded": "{upstream} allows research use only; the draft allows more (use --family research-only)",
    "flowdown_no_sharing": "{upstream} requires passing its restrictions on; the draft allows no sharing, so this "
                           "applies only if you share by separate agreement",
    "flowdown": "{upstream} requires its use restrictions to be passed on to recipients",
    "flowdown_dropped": "{upstream} requires its use restrictions to be passed on to recipients; the draft does not "
                        "(use --flowdown)",
    "naming_prefix": "{upstream} requires “{prefix}” at the beginning of a derivative model's name",
    "naming_prefix_missing": "{upstream} requires “{prefix}” at the beginning of a derivative model's name "
                             "(use --naming {prefix})",
    "naming": "{upstream} requires a name prefix at the beginning of a derivative model's name",
    "naming_missing": "{upstream} requires a name prefix at the beginning of a derivative model's name "
                      "(use --naming PREFIX)",
    "attribution_notice": "{upstream} requires the notice “{notice}” with derivatives",
    "notice_missing": "{upstream} requires the notice “{notice}” with derivatives (use --notice \"{notice}\")",
    "attribution": "{upstream} requires attribution and a copy of its license with derivatives",
    "attribution_missing": "{upstream} requires attribution and a copy of its license with derivatives "
                           "(use --attribution)",
    "share_alike": "{upstream} is share-alike: derivatives must be released under the same license, which a custom "
                   "license cannot satisfy",
    "regions_excluded": "{upstream} excludes rights in {where}",
    "regions_granted": "{upstream} excludes rights in {where}; the draft grants rights there "
                       "(use --exclude-region \"{region}\")",
    "regions_unstated": "{upstream} excludes rights in some regions; check the clause",
    "output_training_ban": "{upstream} forbids using outputs to improve other models; you and your users stay bound",
    "output_training_ban_open": "{upstream} forbids using outputs to improve other models; you and your users stay "
                                "bound (consider --no-output-training)",
    "distillation_derivative": "{upstream} counts models trained on its outputs as derivatives",
    "distillation_derivative_open": "{upstream} counts models trained on its outputs as derivatives "
                                    "(consider --distillation-derivative)",
    "hosted_is_distribution": "{upstream} treats hosting as distribution",
    "hosted_is_distribution_open": "{upstream} treats hosting as distribution (consider --hosted-is-distribution)",
    "user_threshold": "{upstream} needs a separate license above {limit:,} monthly active users" + _BINDS,
    "user_threshold_higher": "{upstream} needs a separate license above {limit:,} monthly active users" + _BINDS
                             + "; your own threshold ({mine:,}) is higher than upstream's",
    "revenue_threshold": "{upstream} needs a separate license above US ${limit:,} revenue" + _BINDS,
    "revenue_threshold_higher": "{upstream} needs a separate license above US ${limit:,} revenue" + _BINDS
                                + "; your own threshold ({mine:,}) is higher than upstream's",
    "threshold_unstated": "{upstream} needs a separate license above a threshold" + _BINDS,
    "registration": "{upstream} requires registration or authorisation for some uses; it applies to you whatever the "
                    "draft says",
    "open_source": "{upstream} carries use restrictions, so a derivative cannot be open source",
}
GROUP_TITLES = {"permissions": "Permissions", "prohibitions": "Prohibitions", "duties": "Duties and conditions",
                "thresholds": "Thresholds"}


def plain(text: str, **_style) -> str:
    """No styling: the `style` of every caller but a terminal."""
    return text


# --- check ---------------------------------------------------------------------------------

def condition_text(c) -> str:
    """A check's condition (agent/check/result.py `Condition`) in words."""
    fields = vars(c)
    if c.conflict is not None:
        fields = {**fields, "conflict": conflict_text(c.conflict)}
    return CONDITION_WORDS[_displayed(c.kind, c.mark, CONDITION_WORDS)].format(**fields)


def _displayed(kind: str, mark: str, words: dict) -> str:
    """A threshold's words: a separate license, or (where its clause asks for it) a name displayed in the product."""
    return f"{kind}_display" if mark and f"{kind}_display" in words else kind


def reason_text(reason) -> str:
    """Why a finding counts (agent/check/result.py `Reason`) in words."""
    return REASON_WORDS[_displayed(reason.kind, reason.mark, REASON_WORDS)].format(**vars(reason))


def missing_text(m) -> str:
    """What a check lacked (agent/check/result.py `Missing`) in words, with where to find the text."""
    fields = {**vars(m), "why": unresolved_text(m.unresolved) if m.unresolved is not None else ""}
    words = MISSING_WORDS[m.kind].format(**fields) + (f" ({m.url})" if m.url else "")
    # a text the registry has a key for: how to add it (the web page words the command as its own tab)
    return words + (f"; add it with `modelterms corpus add FILE --key {m.key}`" if m.kind == "text" and m.key else "")


def unresolved_text(g) -> str:
    """Why a text that applies cannot be read (agent/models.py `Unresolved`), in words."""
    keep = (f"`modelterms corpus fetch --model {g.model}` keeps it" if g.model
            else f"`modelterms corpus add {g.origin} --key KEY` keeps it")  # unidentified: how to keep the text
    return UNRESOLVED_WORDS[g.kind].format(**{**vars(g), "keep": keep})


def upstream_text(f) -> str:
    """Why a draft's upstream finding (agent/draft/upstream.py `UpstreamFinding`) has its status, in words."""
    r = f.reason
    return UPSTREAM_WORDS[r.kind].format(**vars(r), upstream=f.upstream, term=f.term, where=", ".join(r.regions),
                                         region=r.regions[0] if r.regions else "")


def upstream_missing_text(m) -> str:
    """A text a draft's upstream brings that cannot be read (agent/models.py `Unresolved`), as the draft's notes
    say it: what, why, where to find it and how to add it."""
    url = f" ({m.url})" if m.url else ""
    if m.kind == "policy_unchecked":
        return unresolved_text(m) + url + ": its restrictions could not be checked"
    return (f"{m.name}: {unresolved_text(m)}" + url
            + (f"; add it with `modelterms corpus add FILE --key {m.key}`" if m.key else ""))


def conflict_text(c) -> str:
    """A card's conflict (agent/models.py `Conflict`) in words."""
    fields = vars(c)
    if c.kind != "license_name":
        fields = {**fields, "declared": ", ".join(c.declared), "inherited": ", ".join(c.inherited)}
    return CONFLICT_WORDS[c.kind].format(**fields)


def draft_note_text(n) -> str:
    """A remark on how a draft was made (agent/draft/drafter.py `DraftNote`) in words."""
    return DRAFT_NOTE_WORDS[n.kind].format(**vars(n))


def warning_text(w) -> str:
    """A draft's consistency warning (agent/draft/consistency.py `Warning_`) in words, without its field."""
    return WARNING_WORDS[w.kind].format(**{**vars(w), "why": ", ".join(w.why)})


def review_text(check) -> str | None:
    """Why an LLM answer needs a person's review (agent/llm/guard.py `VerdictCheck`), or None when it does not."""
    return REVIEW_WORDS[check.disagreement].format(**vars(check)) if check.disagreement else None


def param_text(p) -> str:
    """A read-back parameter mismatch (agent/draft/drafter.py `ParamMismatch`) in words."""
    got, want = (list(v) if isinstance(v, tuple) else v for v in (p.got, p.want))
    return PARAM_WORDS[p.kind].format(got=got, want=want)


def note_text(n) -> str:
    """A resolution's note (agent/models.py `Note`) in words."""
    fields = {**vars(n), "licenses": ", ".join(n.licenses)}
    if n.kind == "other_license":
        fields["name"] = n.name or "no license_name"
    return NOTE_WORDS[n.kind].format(**fields)


def summary_findings(r) -> list:
    """The findings a short answer quotes: those of the verdict's own effect, at most three."""
    return [f for f in r.findings if f.effect == SHOWN_EFFECT[r.verdict]][:3]


def _answer_body(r) -> list[str]:
    lines = [f"- {reason_text(f.reason)} [{f.clause_id}]: \"{shorten(f.quote, 220)}\"" for f in summary_findings(r)]
    if r.conditions and r.verdict != "prohibited":
        lines.append("Conditions: " + "; ".join(map(condition_text, r.conditions)))
    if r.missing:
        lines.append("Missing: " + "; ".join(map(missing_text, r.missing)))
    if r.verdict == "allowed" and not r.findings:
        lines.append("No clause of the texts at hand restricts this use.")
    return lines


def check_answer(r) -> str:
    """The short answer of a check: the verdict and the clauses that decide it (the `answer` of the JSON)."""
    return "\n".join([f"Verdict: {r.verdict.upper()}."] + _answer_body(r))


def check(r, style=plain) -> str:
    """The terminal report of a check: the verdict and texts, the deciding clauses, the others considered."""
    lines = [style(r.verdict.upper(), fg=VERDICT_COLOUR[r.verdict], bold=True)
             + "  (" + ", ".join(r.licenses or ["no license resolved"]) + ")"]
    body = _answer_body(r)
    if body:
        lines.append("\n".join(body))
    quoted = {f.clause_id for f in summary_findings(r)}
    others = [f for f in r.findings if f.clause_id not in quoted]
    if others:
        lines.append("Other clauses considered:")
        for f in others[:6]:
            lines.append(f"- [{f.clause_id}] {f.category} ({f.effect}): {reason_text(f.reason)}")
    lines.append(NOT_LEGAL_ADVICE)
    return "\n".join(lines)


# the use's yes/no facts, in the order the short reading lists them
_FACT_FLAGS = (("research", "research"), ("hosting", "hosted/served to others"), ("distribution", "distributed"),
               ("derivative", "modified/fine-tuned"), ("outputs_for_training", "outputs used for training"),
               ("internal", "internal"))


def use_facts(facts) -> str:
    """How the use was read, in a few words (commercial; hosted; 2,000,000 users; touches: …)."""
    if facts is None:
        return ""
    f = facts
    bits = []
    if f.commercial is True:
        bits.append("commercial")
    elif f.commercial is False:
        bits.append("non-commercial")
    bits += [label for attr, label in _FACT_FLAGS if getattr(f, attr)]
    if f.users:
        bits.append(f"{f.users:,} users")
    if f.revenue_usd:
        bits.append(f"US${f.revenue_usd:,} revenue")
    if f.regions:
        bits.append("regions: " + ", ".join(f.regions))
    tax = load_taxonomy()
    cats = [tax[c].name.lower() for c in f.categories if c in tax and c != "other_use"]
    if cats:
        bits.append("touches: " + ", ".join(cats))
    return "; ".join(bits)


def check_explained(r) -> list[str]:
    """The chat's form of a check, one line each: the verdict in words, why (with quotes), conditions,
    what is missing, notes on the resolution and how the use was read."""
    lines = ["Verdict: " + VERDICT_HEAD[r.verdict]]
    decisive = SHOWN_EFFECT[r.verdict]
    shown = [f for f in r.findings if f.effect == decisive]
    if r.verdict == "unclear":
        shown += [f for f in r.findings if f.effect == "missing"]
    if shown:
        lines.append("Why:")
        for f in shown[:4]:
            lines.append(f"  - {reason_text(f.reason)} [{f.clause_id}]")
            lines.append(f"    \"{shorten(f.quote, 240)}\"")
    if r.conditions and r.verdict != "prohibited":
        lines.append("Conditions:")
        lines.extend(f"  - {condition_text(c)}" for c in r.conditions)
    others = [f for f in r.findings if f.effect in ("condition", "review") and f not in shown]
    if others and r.verdict == "prohibited":
        lines.append("Also relevant: " + ", ".join(dict.fromkeys(f"[{f.clause_id}]" for f in others[:4])))
    if r.missing:
        lines.append("Missing:")
        lines.extend(f"  - {missing_text(m)}" for m in r.missing)
    if r.resolution is not None:
        for n in r.resolution.notes[:3]:
            lines.append(f"Note: {note_text(n)}")
    read = use_facts(r.use)
    if read:
        lines.append("Read as: " + read)
    return lines


# --- profile -------------------------------------------------------------------------------

def params(t, thousands: bool = True) -> str:
    """A term's parameters as `k=v` pairs (numbers with thousands separators)."""
    return ", ".join(f"{k}={v:,}" if thousands and isinstance(v, int) else f"{k}={v}" for k, v in t.params.items())


def by_taxonomy(terms) -> list:
    """Terms in the taxonomy's order (unknown ones last)."""
    order = list(load_taxonomy())
    return sorted(terms, key=lambda t: order.index(t.term) if t.term in order else len(order))


def reference_state(r: dict, how_to_add: str | None) -> str:
    """Whether an incorporated policy is in the corpus; if not, how to add it: `how_to_add` (with {key}) is
    the surface's own advice (a command, a tab)."""
    if r["in_corpus"]:
        return f"in the corpus as `{r['key']}`"
    return "NOT in the corpus" + (" — " + how_to_add.format(key=r["key"]) if how_to_add and r.get("key") else "")


def profile(prof, quotes: bool = True, style=plain, how_to_add: str | None = None) -> str:
    """The terminal report of a license's terms, grouped, each with its clause and quote."""
    tax = load_taxonomy()
    lines = [style(f"{prof.name}", bold=True) + f"  [{prof.license}, {prof.kind}]", ""]
    for group, terms in prof.grouped().items():
        if not terms:
            continue
        lines.append(style(GROUP_TITLES[group], underline=True))
        for t in by_taxonomy(terms):
            ev = t.evidence[0] if t.evidence else None
            lines.append(f"  {tax[t.term].name:40s} {t.attitude:7s} {params(t)}")
            if ev:
                quote = " ".join(ev.quote.split())
                lines.append(f"      [{ev.clause_id}]" + (f" \"{shorten(quote, 200, collapse=False)}\"" if quotes else ""))
        lines.append("")
    if prof.references:
        lines.append(style("Policies incorporated by reference", underline=True))
        for r in prof.references:
            lines.append(f"- {r['policy']}: {reference_state(r, how_to_add)}" + (f" ({r['url']})" if r.get("url") else ""))
        lines.append("")
    if not prof.terms:
        lines.append("No taxonomy term was recognised in this text.")
    lines.append(NOT_LEGAL_ADVICE)
    return "\n".join(lines)


def profiles_brief(profiles: list, topic_hits: list, topic: str) -> str:
    """The chat's form of one or more profiles: the terms on the topic asked about, with clause ids, and
    the clauses found for it."""
    lines = []
    tax = load_taxonomy()
    words = {w for w in re.findall(r"[a-z]{4,}", (topic or "").lower())}

    def on_topic(t) -> bool:
        text = f"{t.term} {tax[t.term].name} {tax[t.term].description}".lower()
        return not words or any(w[:6] in text for w in words)

    for p in profiles:
        lines.append(f"{p.name} [{p.license}]")
        groups = {g: [t for t in ts if on_topic(t)] for g, ts in p.grouped().items()}
        for g in ("permissions", "prohibitions", "duties", "thresholds"):
            terms = groups.get(g) or []
            if not terms:
                continue
            lines.append(f"  {g.capitalize()}:")
            for t in terms[:8]:
                ev = t.evidence[0] if t.evidence else None
                ps = (" " + ", ".join(f"{k}={v}" for k, v in t.params.items() if k != "regions" or v)) if t.params else ""
                lines.append(f"    - {tax[t.term].name}{ps}" + (f" [{ev.clause_id}]" if ev else ""))
        if p.references:
            refs = [r for r in p.references if not r.get("in_corpus")]
            if refs:
                lines.append("  Incorporates, not in the corpus: " + ", ".join(r["policy"] for r in refs))
    if topic_hits:
        lines.append(f"Clauses on \"{shorten(topic, 60)}\":" if topic else "Clauses:")
        for h in topic_hits:
            lines.append(f"  - [{h['clause_id']}] \"{shorten(h['text'], 300)}\"")
    return "\n".join(lines)


def search_hits(hits: list, topic: str) -> str:
    """Clauses found for a topic, each with its id and text."""
    if not hits:
        return f"No clause found for \"{shorten(topic, 80)}\"."
    lines = [f"Clauses for \"{shorten(topic, 80)}\":"]
    for h in hits:
        lines.append(f"  - [{h['clause_id']}] {h.get('section') or ''}".rstrip())
        lines.append(f"    \"{shorten(h['text'], 400)}\"")
    return "\n".join(lines)


# --- resolution ----------------------------------------------------------------------------

def resolution(res, corpus, asked: str, style=plain, how_to_get: str | None = None) -> str:
    """The terminal report of which texts apply to a model: licenses, policies, what is missing (with
    `how_to_get`, the surface's advice with {key}), conflicts."""
    lines = []
    if not res.keys:
        lines.append(f"{asked}: no license resolved" + (" — " + "; ".join(map(note_text, res.notes)) if res.notes else ""))
    else:
        lines.append(style(res.model or asked, bold=True))
        if res.chain:
            lines.append("  base-model chain: " + " → ".join(res.chain))
        lines += [f"  license: {k}  ({corpus.get(k).name})" for k in res.licenses]
        lines += [f"  policy:  {k}  ({corpus.get(k).name})" for k in res.policies]
    for m in res.missing:
        lines.append(f"  missing: {m.name}" + (f" ({m.url})" if m.url else "")
                     + (" — " + how_to_get.format(key=m.key) if how_to_get and m.key else ""))
    lines += [f"  conflict: {conflict_text(c)}" for c in res.conflicts]
    lines += [f"  note: {note_text(n)}" for n in res.notes]
    return "\n".join(lines)


def resolution_brief(res, corpus, head: str) -> str:
    """The chat's form of a resolution, under `head` (what was asked → the keys)."""
    lines = [head or "No license found."]
    lines += [f"  - license: {k} ({corpus.get(k).name})" for k in res.licenses]
    lines += [f"  - use policy: {k} ({corpus.get(k).name})" for k in res.policies]
    lines += [f"  - missing: {m.name}: {unresolved_text(m)}" for m in res.missing]
    if res.chain and len(res.chain) > 1:
        lines.append("  base-model chain: " + " → ".join(res.chain))
    lines += [f"  - {n}" for n in [note_text(n) for n in res.notes] + [f"conflict: {conflict_text(c)}" for c in res.conflicts]]
    return "\n".join(lines)


# --- comparison ----------------------------------------------------------------------------

ATTITUDE_COLOUR = {"cannot": "red", "must": "yellow", "can": "green", "none": None}


def comparison(matrix, keys: list[str], view: str = "both", style=plain) -> str:
    """The terminal matrix: the overview (weights / training / outputs) and the terms, one column per text."""
    width = max(12, *(len(k) for k in keys))
    out = []
    if view in ("summary", "both"):
        out.append(f"{'':26s}" + "".join(f"{k[:width]:>{width + 2}s}" for k in keys))
        for c, v in matrix.summary:
            out.append(f"{c:26s}" + "".join(f"{x[:width]:>{width + 2}s}" for x in v))
        out.append("")
    if view in ("terms", "both"):
        out.append(f"{'':40s}" + "".join(f"{k[:width]:>{width + 2}s}" for k in keys))
        for _, name, att in matrix.rows:
            cells = "".join(style(f"{SYMBOL[a] + ' ' + a:>{width + 2}s}", fg=ATTITUDE_COLOUR[a]) for a in att)
            out.append(f"{name[:40]:40s}" + cells)
        out.append("")
    out.append(NOT_LEGAL_ADVICE)
    return "\n".join(out)


def comparison_brief(profiles: list) -> str:
    """The chat's form of a comparison: the terms where the texts differ, each with its clause."""
    tax = load_taxonomy()
    names = [p.license for p in profiles]
    lines = ["Comparing " + " vs ".join(names) + " (terms where they differ):"]
    terms = [t for t in tax if any(t in p.terms for p in profiles)]
    diff = [t for t in terms if len({p.attitude(t) for p in profiles}) > 1]
    for t in diff[:25]:
        cells = []
        for p in profiles:
            att = p.attitude(t)
            ev = p.terms[t].evidence[0].clause_id if t in p.terms and p.terms[t].evidence else None
            cells.append(f"{p.license}: {att}" + (f" [{ev}]" if ev else ""))
        lines.append(f"  - {tax[t].name}: " + "; ".join(cells))
    same = [t for t in terms if t not in diff]
    if same:
        lines.append("Same in all: " + ", ".join(tax[t].name for t in same[:20]))
    if not diff:
        lines.append("  (no differences in the terms found)")
    return "\n".join(lines)


def diff(d, old: str, new: str, show_all: bool = False, style=plain) -> str:
    """The terminal report of a version diff: counts, the terms whose attitude changed, each clause change
    (word diff, or whole texts with `show_all`)."""
    js = d.as_json()
    out = [style(f"{old} → {new}", bold=True) + f": {js['changed']} changed, {js['added']} added, "
           f"{js['removed']} removed, {js['unchanged']} unchanged clauses", ""]
    if d.terms:
        out.append(style("Terms whose attitude changed", underline=True))
        out += [f"  {t['name']:40s} {t['old']} → {t['new']}" for t in d.terms]
        out.append("")
    for c in d.changes:
        if c.kind == "changed":
            out.append(style(f"~ {c.old_id} → {c.new_id}", fg="yellow"))
            out.append("  " + (c.new_text if show_all else word_diff(c.old_text, c.new_text)))
        elif c.kind == "added":
            out.append(style(f"+ {c.new_id}", fg="green"))
            out.append("  " + (c.new_text if show_all else shorten(c.new_text, 400)))
        else:
            out.append(style(f"- {c.old_id}", fg="red"))
            out.append("  " + (c.old_text if show_all else shorten(c.old_text, 400)))
        out.append("")
    out.append(NOT_LEGAL_ADVICE)
    return "\n".join(out)


# --- draft ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Markup:
    """How a document marks headings, strong words and code; the words tables write commands as Markdown code
    (backticks), which `words` turns into the format's own."""
    heading: Callable[[int, str], str]
    strong: Callable[[str], str]
    code: Callable[[str], str]
    words: Callable[[str], str]


PLAIN = Markup(heading=lambda level, title: title.upper(), strong=str, code=str,
               words=lambda s: s.replace("`", ""))


def draft_notes(d, markup: Markup = PLAIN) -> str:
    """What the user should know about a draft (agent/draft/drafter.py `Draft`), not part of the license: review
    marks, warnings, upstream findings, provenance and the read-back."""
    h, b, c, w = markup.heading, markup.strong, markup.code, markup.words
    out = [h(1, "Drafting notes (not part of the license)"), "",
           f"{NOT_LEGAL_ADVICE} Have this draft reviewed by a lawyer.", "",
           f"- license: {d.name}", f"- template version: {d.template_version}",
           f"- spec hash: {d.spec_hash}", f"- text sha256: {d.text_sha256}",
           w("- regenerate: `modelterms draft --spec license-spec.json` gives this exact text"), ""]
    if d.spec.custom_restrictions:
        out += [h(2, "Custom restrictions (legal review required)"), ""]
        for r in d.spec.custom_restrictions:
            how = ("drafted by the LLM" if r.method == "llm" else
                   f"adapted to the {c(r.pattern)} pattern of the nearest corpus clauses" if r.method == "pattern"
                   else r.method)
            near = ", ".join(c(x) for x in r.nearest) or "none found"
            terms = f"; touches {', '.join(r.terms)}" if r.terms else ""
            out.append(f"- “{r.text}” → “{r.clause}” ({how}; nearest: {near}{terms})")
        out.append("")
    if d.warnings:
        out += [h(2, "Consistency warnings"), ""] + [f"- {b(x.field)}: {w(warning_text(x))}" for x in d.warnings] + [""]
    up = d.upstream
    if up is not None:
        out += [h(2, f"Upstream: {', '.join(up.keys) or 'nothing resolved'}"), ""]
        for f in up.findings:
            mark = {"violated": b("VIOLATED"), "met": "met", "note": "note"}[f.status]
            cites = f" ({', '.join(c(x) for x in f.clause_ids)})" if f.clause_ids else ""
            out.append(f"- {mark} — {w(upstream_text(f))}{cites}")
        for m in up.missing:
            out.append(f"- missing text — {w(upstream_missing_text(m))}")
        out.append("")
    if d.provenance:
        out += [h(2, "Provenance: corpus clauses that say something similar"), "",
                "The wording is modelterms' own; these clauses of the corpus carry a similar term.", ""]
        for p in d.provenance:
            srcs = ", ".join(c(x["clause_id"]) for x in p["sources"]) or "no close corpus clause"
            label = ", ".join(p["terms"]) or "custom"
            out.append(f"- {p['clause']} ({label}): {srcs}")
        out.append("")
    v = d.verification
    if v is not None:
        out += [h(2, "Verification: the draft read back by the profiler"), ""]
        out.append(f"- chosen terms recovered: {v.recovered}/{v.chosen}"
                   + (f"; missed: {', '.join(v.missed)}" if v.missed else ""))
        out.append("- terms the spec did not ask for: " + (", ".join(v.extra) or "none"))
        if v.custom_mapped:
            out.append(f"- read from custom restrictions: {', '.join(v.custom_mapped)}")
        if v.params:
            out.append(f"- parameter mismatches: {'; '.join(param_text(p) for p in v.params)}")
        out.append("")
    for n in d.notes:
        out.append(f"- {w(draft_note_text(n))}")
    return "\n".join(out).rstrip() + "\n"


# --- audit ---------------------------------------------------------------------------------

AUDIT_MARK = {MET: "✓", UNMET: "✗", UNKNOWN: "?"}


def audit_order(d) -> tuple:
    """Unmet duties first, then those that cannot be told, then the met ones."""
    return ({UNMET: 0, UNKNOWN: 1, MET: 2}[d.status], d.id)


def audit_headline(r) -> str:
    """One line: the repository and how many duties are unmet, unknown, met (and conflicts)."""
    if not r.usable:
        return f"cannot audit {r.target}: {audit_problem(r, 'unreadable input')}"
    c = r.counts()
    return (f"{r.repo.get('name') or r.target}: {c[UNMET]} unmet, {c[UNKNOWN]} cannot tell, {c[MET]} met"
            f"{f', {len(r.conflicts)} license conflict(s)' if r.conflicts else ''}")


def _audit_fields(value) -> dict:
    """A gap's or fix's fields as their words use them: lists joined, the optional parts in their brackets."""
    f = dict(vars(value))
    f["phrases"] = " or ".join(f"“{p}”" for p in value.phrases)
    if "declared" in f:
        f["declared"] = ", ".join(value.declared) or "none"
        f["fields"] = " and ".join(value.fields)
        f["shipped"] = f" ({'; '.join(f'{p} is {k}' for p, k in value.shipped)})" if value.shipped else ""
    if "tags" in f:
        f["tags"] = ", ".join(tag if tag == key else f"{tag} → {key}" for tag, key in value.tags)
        f["url"] = f" ({value.url})" if value.url else ""
    return f


def location_text(loc) -> str:
    """The line quoted where a duty is met, or what the file shows (agent/audit/result.py `Location`)."""
    return SHOWN_WORDS[loc.shows].format(key=loc.key) if loc.shows else loc.text


def remark_text(remark) -> str:
    """An audit's problem or note (agent/audit/result.py `Remark`) in words."""
    return REMARK_WORDS[remark.kind].format(**{**vars(remark), "ids": ", ".join(remark.ids)})


def audit_problem(r, default: str) -> str:
    """The first problem of an audit in words (why it could not be done), or `default`."""
    return remark_text(r.problems[0]) if r.problems else default


def gap_text(gap) -> str:
    """What a duty lacks (agent/audit/result.py `Gap`) in words."""
    fields = _audit_fields(gap)
    if gap.unresolved is not None:
        fields["why"] = unresolved_text(gap.unresolved)
    return GAP_WORDS[gap.kind].format(**fields)


def fix_text(fix) -> str:
    """What to do to meet a duty (agent/audit/result.py `Fix`) in words."""
    return FIX_WORDS[fix.kind].format(**_audit_fields(fix))


def duty_missing(d) -> str:
    """All a duty lacks, in words ("" when nothing): the `missing` of the JSON contract."""
    return "; ".join(map(gap_text, d.gaps))


def duty_fix(d) -> str:
    """A duty's fix in words ("" when none): the `fix` of the JSON contract."""
    return fix_text(d.fix) if d.fix else ""


def audit_condition_text(c) -> str:
    """A condition an audit surfaces (agent/audit/result.py `Condition`) in words, after the text that sets it."""
    stated = {"user_threshold": c.users, "revenue_threshold": c.revenue_usd, "gated": c.prompt}.get(c.term, True)
    template = AUDIT_CONDITION_WORDS[(f"{c.term}_display" if c.mark and stated else c.term) if stated
                                     else c.term + "_unstated"]
    fields = {**vars(c), "prompt": c.prompt[:160], "regions": f" ({', '.join(c.regions)})" if c.regions else "",
              "fields": f" and give {', '.join(c.fields[:6])}" if c.fields else ""}
    try:
        words = template.format(**fields)
    except ValueError:  # a threshold the profile did not read as a number: the template as it stands
        words = template
    return f"{c.license}: {words}" if c.license else words


def audit(r, quotes: bool = True) -> str:
    """The terminal report of an audit: each duty with the clause that creates it, where it is met, the fix."""
    lines = [audit_headline(r)]
    if r.usable:
        lines.append(f"declared license: {', '.join(r.repo.get('license') or []) or 'none'}"
                     + (f" → {', '.join(r.declared)}" if r.declared else ""))
        for up in r.upstreams:
            lines.append(f"inherits from {up.model} ({up.relation}, via {up.via}): "
                         f"{', '.join(up.licenses + up.policies) or 'no known text'}")
    for p in r.problems:
        lines.append(f"problem: {remark_text(p)}")
    lines.append("")
    for d in sorted(r.duties, key=audit_order):
        flag = " [conflict: " + ", ".join(d.conflicts) + "]" if d.conflict else ""
        lines.append(f"{AUDIT_MARK[d.status]} {d.title} — {d.status}{flag}")
        for s in d.sources:
            lines.append(f"    clause {s.clause_id}" + (f" ({s.upstream})" if s.upstream else ""))
            if quotes:
                lines.append(f"      “{shorten(s.quote, 300)}”")
        if d.evidence is not None and d.status == MET:
            lines.append(f"    met at {d.evidence}" + (f": {shorten(shown, 120)}" if (shown := location_text(d.evidence)) else ""))
        elif d.evidence is not None:
            lines.append(f"    at {d.evidence}" + (f": {shorten(shown, 120)}" if (shown := location_text(d.evidence)) else ""))
        if d.gaps:
            lines.append(f"    missing: {duty_missing(d)}")
        if d.fix and d.status != MET:
            lines.append(f"    fix: {fix_text(d.fix)}")
    if r.conditions:
        lines += ["", "conditions (for the model's users; surfaced, not judged):"]
        for c in r.conditions:
            lines.append(f"  • {audit_condition_text(c)}" + (f" [{c.source.clause_id}]" if c.source else ""))
    if r.notes:
        lines += ["", *[f"note: {remark_text(n)}" for n in r.notes]]
    lines += ["", NOT_LEGAL_ADVICE]
    return "\n".join(lines)
