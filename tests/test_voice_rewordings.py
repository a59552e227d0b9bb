"""Uses said in another voice keep their verdict (issue 11, paraphrase class: actor-only and casual voices).

Each row takes a dev case whose verdict rests on a behavioural category (military, surveillance, law enforcement,
medical, automated decisions about people, biometrics, elections, malware, spam/impersonation, outputs used to
train a model) and says it twice in new words written for this file: once naming only WHO does it (the actor or
sector), once in a CASUAL voice that names only the activity. The license and the gold are the base case's;
`accept` lists other verdicts the base case's gold allows. The near-miss rows at the end are ordinary work by
the same kinds of actor, which must not be pulled into the category (a veterans' charity, a museum, a bank's
helpdesk). None of these sentences is copied from an eval split.
"""
from __future__ import annotations

import pytest

from agent.check import Checker

# (base dev id, license key, voice, use, gold, accepted alternatives)
ROWS = [
    # --- military: the armed forces named, or the military work said plainly -----------------------------------
    ("uA005", "llama-license-2023", "actor", "The research directorate of our country's navy wants to evaluate the original LLaMA 13B in its studies.", "prohibited", ()),
    ("uA005", "llama-license-2023", "casual", "just research: can og llama help us plan where to send troops and tanks in an offensive?", "prohibited", ()),
    ("uA029", "llama-4-cla-2025", "actor", "An air force drone wing wants Llama 4 Maverick running in its onboard software.", "prohibited", ()),
    ("uA029", "llama-4-cla-2025", "casual", "wanna have llama 4 pick out targets for our attack drones to hit, that ok?", "prohibited", ()),
    ("uB032", "deepseek-la-1.0", "actor", "The quartermaster corps of our country's army wants DeepSeek for its planning staff.", "prohibited", ()),
    ("uB032", "deepseek-la-1.0", "casual", "can deepseek work out the fastest way to get ammo and rations to our guys at the front line?", "prohibited", ()),
    ("uB056", "hippocratic-3.0", "actor", "The marine corps' vehicle depot would like it to write up its workshop documentation.", "prohibited", ()),
    ("uB056", "hippocratic-3.0", "casual", "get it to write the fix-it guides for our tanks and armoured personnel carriers?", "prohibited", ()),
    ("uC043", "flux-1-nc", "actor", "A defence ministry's simulation centre wants FLUX.1 [dev] pictures for its courses.", "prohibited", ()),
    ("uC043", "flux-1-nc", "casual", "make fake war-zone pics with flux dev so soldiers can practise spotting enemy armour", "prohibited", ()),
    ("uC063", "tencent-hunyuan-3d-2.0-cla", "actor", "An army engineering battalion wants Hunyuan 3D to model its spare parts.", "prohibited", ()),
    ("uC063", "tencent-hunyuan-3d-2.0-cla", "casual", "hunyuan 3d to make printable bits for a combat drone, fine?", "prohibited", ()),
    ("uC056", "nvidia-open-model-2025-04-28", "actor", "The autonomy division of an arms maker wants this model inside its products.", "unclear", ()),
    ("uC056", "nvidia-open-model-2025-04-28", "casual", "plug the model into a system that picks what autonomous weapons shoot at?", "unclear", ()),
    # --- surveillance --------------------------------------------------------------------------------------------
    ("uA003", "llama-license-2023", "actor", "A university's video-surveillance lab wants the original LLaMA to link descriptions of the same walker seen by different street cameras, for research.", "prohibited", ()),
    ("uA003", "llama-license-2023", "casual", "research thing: llama matches people walking past different cctv cams so we can follow them around", "prohibited", ()),
    ("uC042", "flux-1-nc", "actor", "A university's CCTV analytics group wants synthetic faces from FLUX dev to train its people tracker.", "prohibited", ()),
    ("uC042", "flux-1-nc", "casual", "uni project: fake faces from flux dev to teach our camera system to follow people around", "prohibited", ()),
    ("uC013", "gemma-tou-2025-03-24", "actor", "Our company's insider-threat team wants Gemma to go through staff's private messages without telling them.", "prohibited", ()),
    ("uC013", "gemma-tou-2025-03-24", "casual", "can gemma snoop on my employees' private dms without them knowing who they chat with?", "prohibited", ()),
    ("uD019", "salesforce-ai-aup-2025", "actor", "Our data team wants face prints of every CRM contact, matched from photos scraped off their social accounts.", "prohibited", ()),
    ("uD019", "salesforce-ai-aup-2025", "casual", "scrape ppl's profile pics off instagram and face-match them to our crm with einstein", "prohibited", ()),
    # --- law enforcement, justice, immigration -------------------------------------------------------------------
    ("uB003", "bigscience-open-rail-m", "actor", "A border agency's asylum caseworkers want it to tell them which applicants' accounts to believe.", "prohibited", ()),
    ("uB003", "bigscience-open-rail-m", "casual", "can the model tell us which asylum seekers are lying in their statements?", "prohibited", ()),
    ("uB015", "bigscience-rail-1.0", "actor", "The state parole board wants BLOOM to flag which prisoners would offend again if released.", "prohibited", ()),
    ("uB015", "bigscience-rail-1.0", "casual", "bloom guessing which inmates will reoffend, from their files", "prohibited", ()),
    ("uB030", "stable-diffusion-2022-08-22", "actor", "A police force's detective unit wants Stable Diffusion faces for its investigations.", "prohibited", ()),
    ("uB030", "stable-diffusion-2022-08-22", "casual", "make photorealistic faces of suspects from what witnesses told the cops", "prohibited", ()),
    ("uB048", "responsible-ai-source-1.1", "actor", "A city's predictive-policing unit wants the model watching faces on its street cameras.", "prohibited", ()),
    ("uB048", "responsible-ai-source-1.1", "casual", "guess who's about to commit a crime from people's faces and moods on street cams", "prohibited", ()),
    ("uB050", "hippocratic-3.0", "actor", "Our customers are county jails and state troopers. Can we build it into the software we sell them?", "prohibited", ()),
    ("uB050", "hippocratic-3.0", "casual", "putting it in the case-file software the cops use, ok?", "prohibited", ()),
    ("uD025", "salesforce-ai-aup-2025", "actor", "The transit police want live face matching from our Salesforce AI integration.", "prohibited", ()),
    ("uD025", "salesforce-ai-aup-2025", "casual", "real-time face id on everyone walking through the train station, for the cops, via salesforce ai", "prohibited", ()),
    # --- medical and other professional advice -------------------------------------------------------------------
    ("uB010", "bigscience-open-rail-m2", "actor", "A chain of skin clinics wants an SDXL-based pipeline that gives patients a verdict on their moles.", "prohibited", ()),
    ("uB010", "bigscience-open-rail-m2", "casual", "app where u snap ur mole and it tells u if it's cancer", "prohibited", ()),
    ("uB016", "bigscience-rail-1.0", "actor", "A pharmacy chain's member bot would answer how much of their medicine patients should take.", "prohibited", ()),
    ("uB016", "bigscience-rail-1.0", "casual", "bot that tells ppl how many pills of their meds to take", "prohibited", ()),
    ("uB025", "bigcode-open-rail-m-v1", "actor", "A virtual-GP startup wants a fine-tuned StarCoder as the family doctor its patients see instead of a real one.", "prohibited", ()),
    ("uB025", "bigcode-open-rail-m-v1", "casual", "skip the doctor: app tells u what illness u have from ur symptoms, built on starcoder", "prohibited", ()),
    ("uA034", "llama-4-cla-2025", "actor", "An online pharmacy wants Llama 4 as its prescriber; there is no physician on staff.", "prohibited", ()),
    ("uA034", "llama-4-cla-2025", "casual", "llama 4 figures out what's wrong with people and writes their prescriptions, no doctor needed", "prohibited", ()),
    ("uD017", "salesforce-ai-aup-2025", "actor", "A robo-adviser wants Einstein to be the only adviser its brokerage clients ever talk to about what to invest in.", "prohibited", ()),
    ("uD017", "salesforce-ai-aup-2025", "casual", "einstein tells each client which stocks to buy for them personally, no human adviser", "prohibited", ()),
    ("uD023", "salesforce-ai-aup-2025", "actor", "A retail bank's contact centre wants a copilot that drafts replies about branch hours and card shipping.", "allowed", ()),
    ("uD023", "salesforce-ai-aup-2025", "casual", "copilot drafts answers to 'where's my card' emails, no money advice", "allowed", ()),
    # --- automated decisions about people ------------------------------------------------------------------------
    ("uB034", "deepseek-la-1.0", "actor", "Our mortgage lender wants DeepSeek to be the one approving home loans; no underwriter looks.", "prohibited", ()),
    ("uB034", "deepseek-la-1.0", "casual", "deepseek says yes or no on home loan applications by itself, nobody checks", "prohibited", ()),
    ("uC006", "gemma-tou-2024-04-01", "actor", "An Ohio credit union's lending desk wants Gemma deciding personal loans on its own.", "prohibited", ()),
    ("uC006", "gemma-tou-2024-04-01", "casual", "lol can gemma just pick which loan applicants get rejected, no human involved", "prohibited", ()),
    ("uD009", "openai-tou-20241211", "actor", "Our recruiters would let ChatGPT's ranking of 300 CVs settle who is turned down.", "prohibited", ()),
    ("uD009", "openai-tou-20241211", "casual", "paste 300 resumes into chatgpt and bin whoever it ranks lowest", "prohibited", ()),
    ("uD013", "openai-tou-20241211", "actor", "A property manager in Texas goes with whatever ChatGPT says about rental applicants.", "prohibited", ()),
    ("uD013", "openai-tou-20241211", "casual", "chatgpt reads the rental apps and i just go with who it picks for the flat", "prohibited", ()),
    ("uD016", "salesforce-ai-aup-2025", "actor", "A payday lender wants Agentforce's scores to settle its loans; an officer only clicks approve.", "prohibited", ()),
    ("uD016", "salesforce-ai-aup-2025", "casual", "agentforce scores payday loan apps and a guy just rubber-stamps them", "prohibited", ()),
    ("uD022", "salesforce-ai-aup-2025", "actor", "An insurer's claims desk gets accept/reject suggestions from the AI; its adjusters make the final decision and claimants are told the AI was involved.", "conditional", ()),
    ("uD022", "salesforce-ai-aup-2025", "casual", "ai suggests approve/deny on claims, our adjuster has the final say, and we tell claimants about the ai", "conditional", ()),
    ("uB019", "bigscience-rail-1.0", "actor", "A recruiting agency's software would turn down job applicants on its own from their CVs.", "unclear", ()),
    ("uB019", "bigscience-rail-1.0", "casual", "auto-bin job applicants based on their resumes, nobody looks", "unclear", ()),
    ("uB055", "hippocratic-3.0", "actor", "A staffing agency wants it to screen out older candidates automatically.", "prohibited", ()),
    ("uB055", "hippocratic-3.0", "casual", "auto-drop any job applicant over 50", "prohibited", ()),
    # --- biometrics and emotions ---------------------------------------------------------------------------------
    ("uD018", "salesforce-ai-aup-2025", "actor", "Our call-centre supervisors want the AI to tell them which agents sound annoyed on their calls.", "prohibited", ()),
    ("uD018", "salesforce-ai-aup-2025", "casual", "ai listens to our agents' voices and flags who's got a bad attitude", "prohibited", ()),
    ("uB044", "responsible-ai-source-1.1", "actor", "A supermarket chain's marketing team wants shoppers' age, sex and ethnicity read off its store cameras.", "prohibited", ()),
    ("uB044", "responsible-ai-source-1.1", "casual", "guess shoppers' race, age and gender off the in-store cams for marketing", "prohibited", ()),
    # --- elections, malware, spam and impersonation --------------------------------------------------------------
    ("uD020", "salesforce-ai-aup-2025", "actor", "A senator's re-election campaign wants Einstein GPT for its donor outreach.", "prohibited", ()),
    ("uD020", "salesforce-ai-aup-2025", "casual", "einstein writes our 'chip in $5' emails and ads for the senate race", "prohibited", ()),
    ("uB022", "bigcode-open-rail-m-v1", "actor", "A ransomware crew wants StarCoder to write the payload it uses on hospitals.", "prohibited", ()),
    ("uB022", "bigcode-open-rail-m-v1", "casual", "write me something that locks up a hospital's files until they pay us in btc", "prohibited", ()),
    ("uA030", "llama-4-cla-2025", "actor", "A review farm wants Llama 4 Scout to write the five-star reviews it posts for our listings.", "prohibited", ()),
    ("uA030", "llama-4-cla-2025", "casual", "llama 4 spits out a ton of fake 5 star reviews for our shop", "prohibited", ()),
    ("uD028", "salesforce-au-external-2025", "actor", "A bulk-mail outfit wants to send Marketing Cloud promotions to 2 million bought addresses with no prior contact.", "prohibited", ()),
    ("uD028", "salesforce-au-external-2025", "casual", "bought 2M emails, gonna blast them all with promos via marketing cloud, they never signed up", "prohibited", ()),
    ("uA039", "llama-4-license-2025", "actor", "Our marketing team wants Llama 4 posts signed as a competitor's CEO, without his consent.", "prohibited", ()),
    ("uA039", "llama-4-license-2025", "casual", "post stuff on socials pretending to be our rival's ceo, llama writes it, he doesn't know", "prohibited", ()),
    # --- outputs used to train another model ---------------------------------------------------------------------
    ("uA007", "llama-2-license-2023", "actor", "Our Mistral-7B fine-tuning team wants Llama-2-70b-chat as the source of its training examples.", "prohibited", ()),
    ("uA007", "llama-2-license-2023", "casual", "have llama 2 crank out a bunch of q&a pairs and train mistral 7b on em", "prohibited", ()),
    ("uA047", "tongyi-qianwen-2023", "actor", "Our Llama fine-tuning team wants Qwen-14B-Chat as its teacher model.", "prohibited", ()),
    ("uA047", "tongyi-qianwen-2023", "casual", "use what qwen-14b-chat says to make our llama model smarter?", "prohibited", ()),
    ("uD008", "openai-tou-20241211", "actor", "A startup building a ChatGPT rival wants its 7B model to learn from ChatGPT's responses.", "prohibited", ()),
    ("uD008", "openai-tou-20241211", "casual", "copy chatgpt's answers into our 7b and ship it as a rival app", "prohibited", ()),
    ("uC068", "bilibili-model-ula-2025-09-09", "actor", "Our company's commercial TTS team wants hours of IndexTTS2 speech as its training set.", "prohibited", ()),
    ("uC068", "bilibili-model-ula-2025-09-09", "casual", "rip hours of indextts2 audio and teach our own paid tts voice with it", "prohibited", ()),
    ("uC062", "tencent-hunyuan-3d-2.0-cla", "actor", "Our in-house 3D generator team wants Hunyuan3D-2 meshes to train it further.", "prohibited", ()),
    ("uC062", "tencent-hunyuan-3d-2.0-cla", "casual", "feed hunyuan3d-2 meshes into our own 3d generator so it gets better", "prohibited", ()),
    ("uD041", "apache-2.0", "casual", "make synthetic data with an apache-2.0 model, train our closed model on it", "allowed", ()),
    # --- near misses: the same kinds of actor doing ordinary work ------------------------------------------------
    ("near", "deepseek-la-1.0", "actor", "A veterans' association runs DeepSeek on its own server to help former marines write CVs for civilian jobs.", "allowed", ()),
    ("near", "deepseek-la-1.0", "actor", "A military history museum runs DeepSeek internally to draft its exhibit labels.", "allowed", ()),
    ("near", "deepseek-la-1.0", "actor", "The coastguard's rescue coordination centre wants DeepSeek to transcribe mayday calls.", "unclear", ("prohibited",)),
    ("near", "gemma-tou-2025-03-24", "actor", "The army's recruiting office wants Gemma internally to sort incoming enquiry emails.", "allowed", ()),
    ("near", "bigscience-open-rail-m", "actor", "An insurer's staff want it internally to search the company's own policy handbook.", "allowed", ()),
    ("near", "bigscience-open-rail-m", "casual", "our bank's hr folks use it in-house to draft job ads", "allowed", ()),
    ("near", "bigcode-open-rail-m-v1", "actor", "A lender's engineering team uses StarCoder to write unit tests for its internal code.", "allowed", ()),
    ("near", "llama-4-cla-2025", "actor", "A police department's crime analysts want a self-hosted Llama 4 Scout to summarise case files internally; nothing leaves the department.", "allowed", ()),
]


# Rows still answered otherwise (all on the safe side: unclear for a prohibited gold, or the base case's own known
# failure); strict, so a fix shows. Measured 2026-12-07 on the voices branch.
KNOWN = {
    ("uB030", "actor"): "police named with no activity: law enforcement only possible, so unclear, not prohibited",
    ("uB010", "actor"): "a clinic's verdict on moles: medical advice only possible (unlicensed practice certain), unclear",
    ("uB025", "actor"): "a virtual GP: medical advice only possible (unlicensed practice certain), unclear",
    ("uB019", "actor"): "the base case uB019 is a known failure (evals/known_failures.yaml): prohibited for gold unclear",
    ("uB019", "casual"): "the base case uB019 is a known failure (evals/known_failures.yaml): prohibited for gold unclear",
    ("uD018", "casual"): "emotions read from voices said casually: emotion recognition only possible, unclear",
}


def _rows():
    for i, r in enumerate(ROWS):
        reason = KNOWN.get((r[0], r[2]))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(*r, id=f"{r[0]}-{r[2]}-{i}", marks=marks)


@pytest.fixture(scope="module")
def checker(indexed):
    return Checker(indexed)


@pytest.mark.parametrize("base, key, voice, use, gold, accept", list(_rows()))
def test_a_use_said_in_another_voice_keeps_its_verdict(checker, base, key, voice, use, gold, accept):
    got = checker.check(use, license=key).as_json()["verdict"]
    assert got == gold or got in accept, f"{base} ({voice}) under {key}: gold {gold}, got {got}: {use}"


# --- fast: outputs that train another model, said by the learner's team or casually (agent/check/pipeline.py) ---
from agent.check.pipeline import trained_model  # noqa: E402


@pytest.mark.parametrize("use", [
    "the people behind our Phi-3 tutor want Gemma as its teacher model",  # teacher; learner in the owner's words
    "our ASR squad wants hours of narration from the TTS model as its training corpus",
    "a start-up developing an open rival to Claude wants its model to learn from the licensed model's replies",
    "take whatever Llama answers and make our small Mistral model smarter with it",
    "pipe the renders into our in-house image generator so it gets better",
])
def test_another_model_trained_on_the_outputs_in_the_actor_or_casual_voice(use):
    assert trained_model(use.lower()) is not None


@pytest.mark.parametrize("use", [
    "our chatbot team wants to fine-tune Llama on our own support tickets",
    "our robotics lab wants Llama to write the training manuals for our technicians",
    "our ML team wants Gemma to summarise papers for the weekly reading group",
    "make our website better with copy that Gemma writes",
])
def test_a_team_named_by_its_model_or_better_words_alone_is_no_output_training(use):
    assert trained_model(use.lower()) is None


# --- fast: categories said casually or by an actor whose status varies (the lexical frame alone) -------------------
from agent.check.frame import read_frame  # noqa: E402


@pytest.mark.parametrize("use, cat", [
    ("the bot sorts the job applications and we just go with whoever it recommends", "automated_decisions"),
    ("feed it the tenant cvs, then ditch the ones it flags", "automated_decisions"),
    ("our underwriter basically rubber-stamps the model's score on every mortgage", "automated_decisions"),
    ("a script that encrypts a clinic's servers until the owners pay up", "malware_cyber"),
    ("a tool for the local cops to sort witness statements", "law_enforcement_justice"),
    ("estimate every visitor's age, gender and ethnicity from the lobby camera", "privacy_pii"),
    ("the compliance unit would like it to trawl through employees' personal chats on work phones", "surveillance_tracking"),
])
def test_a_category_said_casually_is_read(use, cat):
    assert cat in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "the national coast guard wants the model to draft its boating-safety leaflets",
    "our gendarmerie's press office wants help translating its news releases",
])
def test_an_actor_whose_status_varies_by_country_may_be_military_never_certainly(use):
    frame = read_frame(use)
    assert "military_weapons" in frame.maybe_implied and "military_weapons" not in frame.categories


@pytest.mark.parametrize("use, cat", [
    ("we draft five taglines and go with whichever one it likes best", "automated_decisions"),
    ("design rubber stamps with our logo for the office", "automated_decisions"),
    ("help us restore the servers the attackers encrypted, we did not pay", "malware_cyber"),
    ("a quiz about famous tv cop shows", "law_enforcement_justice"),
    ("tag religious texts in our library catalogue", "privacy_pii"),
    ("dig into customers' support emails to find common complaints", "surveillance_tracking"),
    ("the naval history museum wants audio-guide scripts for its ship models", "military_weapons"),
])
def test_the_same_words_without_the_category_are_not_read(use, cat):
    assert cat not in read_frame(use).categories
