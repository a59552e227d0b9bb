"""Chat tab: questions answered by the grounded conversation, streamed, with a verdict badge and citations."""
import queue
import threading

from agent.ask.conversation import MAX_QUESTION_CHARS
from corpus.display import shorten
from corpus.errors import ModeltermsError

from .chat_render import check_steps, sources_block
from .guard import guard, error_html, one_line
from .page import Page, session_of
from .render import citations_html, escape, verdict_badge
from .services import Services
from .wording import web_words
from .gradio_backend import gradio


EXAMPLES = ["Can I use Llama 3.1 8B in a paid customer-support chatbot?",
            "Can we fine-tune Gemma 2 9B and sell API access to it?",
            "May I use bigscience-open-rail-m to give medical advice to patients?",
            "What does the Llama 3.1 license say about attribution?",
            "Compare the MIT license and bigscience-open-rail-m"]


def chat_stream(svc: Services, session: str, message: str, history: list | None):
    """Yields (history, verdict badge, citations, cleared input) while the answer is produced."""
    message = (message or "").strip()
    if not message:
        raise ModeltermsError('empty question: ask e.g. "Can I use Llama 3.1 8B in a paid chatbot?"')
    history = list(history or [])
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": "…"})
    yield history, verdict_badge(None, "thinking…"), "", ""
    svc.fresh()
    conv = svc.conversation(session)
    chunks: queue.Queue = queue.Queue()
    box: dict = {}

    def work():
        try:
            with conv._mt_lock, svc.lock.read():
                box["answer"] = conv.ask(message, on_text=chunks.put)
        except BaseException as e:  # handed to the caller below
            box["error"] = e
        finally:
            chunks.put(None)

    th = threading.Thread(target=work, name="modelterms-chat", daemon=True)
    th.start()
    grounded_only = not svc.settings.llm
    text = ""
    while True:
        piece = chunks.get()
        if piece is None:
            break
        if grounded_only:  # the grounded answer comes whole: it is shown below, verdict first
            continue
        text += piece
        history[-1] = {"role": "assistant", "content": text}
        yield history, verdict_badge(None, "thinking…"), "", ""
    th.join()
    if "error" in box:
        history.pop()
        history.pop()
        raise box["error"]
    ans = box["answer"]
    label = {"explain": "explanation", "search": "clauses", "compare": "comparison", "resolve": "licenses"}.get(ans.intent)
    card = verdict_badge(ans.verdict, label)
    if grounded_only and ans.intent == "check" and ans.verdict:
        # verdict first (the card above the chat holds it from now on), then each reason as it is added; the
        # citations, which read every cited clause in its text, come last
        shown = []
        for step in check_steps(svc, ans):
            shown.append(step)
            history[-1] = {"role": "assistant", "content": "\n\n".join(shown)}
            yield history, card, "", ""
        body = "\n\n".join(shown)
    else:
        body = web_words(ans.answer if grounded_only else (text or ans.answer))
    cites = citations_html(svc, ans.findings, deciding=ans.deciding, anchor="chat")
    tail = [f"*{web_words(n)}*" for n in ans.notices]
    if ans.language_note:  # the question was not in English and the answer is (grounded, or the LLM kept to English)
        tail.append(f"*{escape(ans.language_note)}*")
    body = "\n\n".join(x for x in [body, *tail, sources_block(ans)] if x)
    history[-1] = {"role": "assistant", "content": body}
    yield history, card, cites, ""


def chat_kept(svc: Services, session: str, message: str, history: list | None):
    """`chat_stream` for the page: a failure becomes an answer in the conversation ("not answered: why"), the
    earlier turns stay, and the question stays in the box to be edited and asked again."""
    gr = gradio()

    before = list(history or [])
    try:
        yield from chat_stream(svc, session, message, history)
    except Exception as e:
        why = one_line(e, chat_stream)
        turns = before
        if (message or "").strip():
            asked = message.strip()
            shown = asked if len(asked) <= 600 else f"{shorten(asked, 600, collapse=False)} ({len(asked):,} characters)"
            turns = before + [{"role": "user", "content": shown}]
        turns = turns + [{"role": "assistant", "content": f"**Not answered:** {why}"}]
        yield turns, verdict_badge(None, "not answered"), error_html(why), gr.skip()


def chat_reset(svc: Services, session: str):
    svc.reset_conversation(session)
    return [], verdict_badge(None, "ask a question"), "", ""


def build(page: Page) -> None:
    gr = gradio()

    svc = page.svc
    with gr.Tab("Chat", id="chat"):
        # the verdict card sits above the conversation and stays in view while the answer scrolls
        badge = gr.HTML(verdict_badge(None, "ask a question"), elem_id="chat-verdict", elem_classes=["mt-sticky"])
        chatbot = gr.Chatbot(label="modelterms", height=560, elem_id="chat-log", buttons=["copy"],
                             sanitize_html=True)
        with gr.Row():
            question = gr.Textbox(placeholder="Can we put Gemma 2 behind our support bot in Germany?",
                                  show_label=False, scale=6, elem_id="chat-input", max_lines=6,
                                  max_length=MAX_QUESTION_CHARS,
                                  info=f"Questions up to {MAX_QUESTION_CHARS:,} characters.")
            ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="chat-ask")
            clear_btn = gr.Button("New conversation", scale=1, elem_id="chat-clear")
        gr.Examples(EXAMPLES, inputs=question, label="Examples to start from", elem_id="chat-examples")
        cites = gr.HTML("", elem_id="chat-citations")

        def on_ask(message, history, request: gr.Request):
            yield from chat_kept(svc, session_of(request), message, history)

        def on_clear(request: gr.Request):
            return chat_reset(svc, session_of(request))

        chat_out = [chatbot, badge, cites, question]
        ask_btn.click(on_ask, [question, chatbot], chat_out, api_name="ask", concurrency_id="grounded")
        question.submit(on_ask, [question, chatbot], chat_out, api_visibility="private", concurrency_id="grounded")
        clear_btn.click(guard(on_clear), None, chat_out, api_name="chat_reset", queue=False)
