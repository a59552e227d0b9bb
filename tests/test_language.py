"""agent/language.py: the question's language from its script or function words (agent/data/languages.yaml), and
the note a reader gets when the answer is in English. Questions in several wordings per language, and English
questions of every kind the evals hold, none of which may be taken for another language."""
from pathlib import Path

import pytest

from agent import language

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("lang, text", [
    ("es", "¿Puedo usar Llama 3.1 para un chatbot de pago en mi empresa?"),
    ("es", "Queremos vender acceso por API a un modelo basado en Gemma 2, ¿es posible?"),
    ("es", "¿Y con Gemma?"),
    ("de", "Darf ich Gemma 2 für unseren Support-Bot in Deutschland nutzen?"),
    ("de", "Können wir das Modell kommerziell verwenden, wenn wir mehr als 700 Millionen Nutzer haben?"),
    ("fr", "Puis-je utiliser Llama 3.1 dans une application payante ?"),
    ("fr", "Est-ce que nous pouvons entraîner un modèle sur les sorties de Mistral ?"),
    ("zh", "我可以在付费聊天机器人中使用 Llama 3.1 吗？"),
    ("zh", "Gemma 2 可以用于军事用途吗"),
    ("ja", "Llama 3.1 を有料のチャットボットで使えますか？"),
    ("ja", "商用利用は可能ですか"),  # kana decides, even among Han characters
    ("ko", "Llama 3.1을 유료 챗봇에 사용할 수 있나요?"),
    ("it", "Posso usare Llama 3.1 per un chatbot a pagamento nella nostra azienda?"),
    ("pt", "Posso usar o Llama 3.1 em um chatbot pago da minha empresa?"),
    ("nl", "Mag ik Llama 3.1 gebruiken voor een betaalde chatbot in ons bedrijf?"),
    ("ru", "Можно ли использовать Llama 3.1 в платном чат-боте?"),
])
def test_other_languages_are_told(lang, text):
    assert language.detect(text) == lang
    note = language.english_note(lang)
    assert note.startswith("This answer is in English.") and len(note) > len("This answer is in English.")


@pytest.mark.parametrize("text", [
    "Can I use Llama 3.1 in a paid chatbot for my company?",
    "Can I use 通义千问 in a paid chatbot?",  # a model's name in another script does not make the question Chinese
    "What license is meta-llama/Llama-3.1-8B under?",
    "and with MIT?",
    "A messaging company whose app reached about 1.2 billion monthly active users in June 2023 wants Llama 2 in it.",
    "Brazilian startup (about 200k MAU) offering Hunyuan 3D generation as a paid API to e-commerce sellers.",
    "Compare the MIT license and bigscience-open-rail-m",
])
def test_english_questions_stay_english(text):
    assert language.detect(text) == language.ENGLISH
    assert language.english_note(language.ENGLISH) is None


def test_too_little_to_tell_is_unknown_and_gets_no_note():
    assert language.detect("Llama 3.1 8B") == language.UNKNOWN
    assert language.detect("") == language.UNKNOWN
    assert language.english_note(language.UNKNOWN) is None


def test_the_eval_questions_are_all_read_as_english_or_unknown():
    """Over a thousand English questions and uses from the eval sets: not one taken for another language."""
    import yaml

    from evals.data import usecases

    asked = yaml.safe_load((ROOT / "evals" / "ask_questions.yaml").read_text(encoding="utf-8"))
    texts = [q["use"] for split in ("dev", "test") for q in usecases(split)] + [q["question"] for q in asked]
    assert len(texts) > 300
    wrong = [t for t in texts if language.detect(t) not in (language.ENGLISH, language.UNKNOWN)]
    assert not wrong, wrong[:5]


def test_an_answer_quoting_english_is_read_by_its_own_words():
    answer = ('La licencia lo prohíbe: "You shall not use the Model for military purposes or for weapons" '
              "[acme#3], así que no puede usarlo. Verdict: prohibited")
    assert language.detect_prose(answer) == "es"
    assert language.name("es") == "Spanish" and language.name("xx") == "xx"
