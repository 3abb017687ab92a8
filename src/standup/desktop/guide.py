"""The break window: the routine's figure moving, its cues, the set in progress, and Done / Snooze / Skip.

The only importer of tkinter. It runs in a short-lived process of its own (`standup guide`), never
inside the running app: it is handed what the app's `prompt` command said and a function that sends
answers back over the control socket, so a crash here loses nothing. The pacing is core.guide's;
this module only draws it. Done records the sets that ended (the button says how many), or, before
any set ended, answers Done like the toast's button. Closing the window answers nothing: the prompt
stays open, and the window closes on its own when the prompt is answered elsewhere.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from standup.core.errors import StandupError
from standup.core.guide import Dose, Moment, Phase, PromptDetails, Session
from standup.core.poses import Figure, PoseError, parse_figure

if TYPE_CHECKING:
    import tkinter

    from PIL.Image import Image

    from standup.core.guide import RoutineJSON
    from standup.service.views import PromptJSON

log = logging.getLogger(__name__)

FIGURE_PX = 240
FRAMES = 16
TICK_MS = 80
WATCH_MS = 3000  # how often the window asks whether its prompt is still open
BACKGROUND = "#f6f4ef"
INK = "#1f4e6b"
MUTED = "#5f6b73"
ACCENT = "#2f7d5b"

Answer = Callable[[str, dict[str, object]], object]  # (command, args) → result, raises StandupError


class PromptReply(PromptDetails):
    """What the app's `prompt` control command answers while a prompt is open (app.Commands)."""

    prompt: PromptJSON


def _png(image: Image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def still_png(figure: Figure) -> bytes:
    """The still picture (Pillow loads here, in the window's process, never in the app's)."""
    from standup.adapters import figure as renderer

    return renderer.png(figure, FIGURE_PX)


def frame_pngs(figure: Figure) -> list[bytes]:
    """The animation frames, one cycle of the movement."""
    from standup.adapters import figure as renderer

    return [_png(frame) for frame in renderer.animation(figure, FIGURE_PX, FRAMES)]


class GuideWindow:
    """A small Tk window guiding one prompt's break."""

    def __init__(self, prompt: PromptReply, answer: Answer, *, sound: bool = False,
                 clock: Callable[[], float] = time.monotonic, watch: Callable[[], int | None] | None = None) -> None:
        """`watch` answers the id of the prompt open now (None: none); the window closes when it is another."""
        import tkinter as tk

        self._tk = tk
        self._prompt = prompt
        self._answer = answer
        self._sound = sound
        self._clock = clock
        self._watch = watch
        routine, dose = prompt["routine"], prompt["dose"]
        if routine is None or dose is None:
            raise ValueError("the open prompt suggests no routine to guide")
        self.session = Session(Dose.from_json(dose, routine), clock())
        self._sets_heard = 0
        self._reported = False
        self._closed = False
        try:
            self._figure = parse_figure(prompt["figure"]) if prompt.get("figure") else None
        except PoseError as exc:
            log.warning("the figure cannot be drawn: %s", exc)
            self._figure = None
        self.root = tk.Tk(className="standup-guide")
        self.root.withdraw()  # shown once placed (run)
        self.root.title(f"standup — {routine['name']}")
        self.root.configure(background=BACKGROUND, padx=16, pady=12)
        self.root.resizable(False, False)
        self.root.protocol("WM_DELETE_WINDOW", self.close)
        self._build(routine)
        self._photos: list[tkinter.PhotoImage] = []
        self._still: tkinter.PhotoImage | None = None

    # ---- layout -----------------------------------------------------------------------------
    def _build(self, routine: RoutineJSON) -> None:
        tk = self._tk
        label = {"background": BACKGROUND, "foreground": INK, "anchor": "w", "justify": "left"}
        tk.Label(self.root, text=routine["name"], font=("TkDefaultFont", 15, "bold"), **label).grid(
            row=0, column=0, columnspan=2, sticky="we")
        self.headline = tk.Label(self.root, text="", font=("TkDefaultFont", 12), **label)
        self.headline.grid(row=1, column=0, columnspan=2, sticky="we")
        self.picture = tk.Label(self.root, background=BACKGROUND, width=FIGURE_PX, height=FIGURE_PX)
        self.picture.grid(row=2, column=0, rowspan=2, pady=(8, 8), sticky="n")
        self.counter = tk.Label(self.root, text="", font=("TkDefaultFont", 28, "bold"), width=7, **label)
        self.counter.grid(row=2, column=1, sticky="nw", padx=(12, 0), pady=(8, 0))
        self.caption = tk.Label(self.root, text="", font=("TkDefaultFont", 10), **{**label, "foreground": MUTED})
        self.caption.grid(row=2, column=1, sticky="nw", padx=(14, 0), pady=(58, 0))
        self.bar = tk.Canvas(self.root, width=150, height=8, background="#dfe5e8", highlightthickness=0)
        self.bar.grid(row=2, column=1, sticky="sw", padx=(12, 0), pady=(0, 12))
        self._fill = self.bar.create_rectangle(0, 0, 0, 8, fill=ACCENT, width=0)
        cues = "\n".join(f"{number}. {cue}" for number, cue in enumerate(routine.get("cues", []), start=1))
        tk.Label(self.root, text=cues, wraplength=FIGURE_PX + 170, font=("TkDefaultFont", 10),
                 **{**label, "foreground": MUTED}).grid(row=4, column=0, columnspan=2, sticky="we")
        buttons = tk.Frame(self.root, background=BACKGROUND)
        buttons.grid(row=5, column=0, columnspan=2, sticky="we", pady=(12, 0))
        self.next_button = tk.Button(buttons, text="Set done", command=self.next_step)
        self.done_button = tk.Button(buttons, text="Done", default="active", command=self.done,
                                     background=ACCENT, foreground="white", activebackground="#276b4d")
        self.snooze_button = tk.Button(buttons, text="Snooze", command=lambda: self._send("snooze", {}))
        self.skip_button = tk.Button(buttons, text="Skip", command=lambda: self._send("skip", {}))
        for column, button in enumerate((self.next_button, self.done_button, self.snooze_button, self.skip_button)):
            button.grid(row=0, column=column, padx=(0, 8), ipadx=6)
        self.message = tk.Label(self.root, text="", font=("TkDefaultFont", 9), **{**label, "foreground": "#9b3b2f"})
        self.message.grid(row=6, column=0, columnspan=2, sticky="we")
        self.root.bind("<Return>", lambda event: self.done())
        self.root.bind("<Escape>", lambda event: self.close())

    # ---- running ----------------------------------------------------------------------------
    def run(self) -> None:
        """Show the window at once (the still figure), then draw the frames and start the clock."""
        if self._figure is not None:
            self._still = self._tk.PhotoImage(data=base64.b64encode(still_png(self._figure)).decode())
            self.picture.configure(image=self._still)
        self._update()
        self.root.update_idletasks()
        self._place()
        self.root.after(1, self._load_frames)
        self.root.after(TICK_MS, self._tick)
        if self._watch is not None:
            self.root.after(WATCH_MS, self._check_prompt)
        self.root.mainloop()

    def _place(self) -> None:
        root = self.root
        width, height = root.winfo_reqwidth(), root.winfo_reqheight()
        x = max(0, (root.winfo_screenwidth() - width) // 2)
        y = max(0, (root.winfo_screenheight() - height) // 3)
        root.geometry(f"+{x}+{y}")
        root.bind("<Map>", lambda event: root.after(200, self._report_geometry) if event.widget is root else None)
        root.deiconify()
        root.lift()
        root.attributes("-topmost", True)
        root.after(1500, lambda: root.attributes("-topmost", False))

    def _report_geometry(self) -> None:
        """Where the buttons are on the screen, for the log (and for a test's clicks)."""
        if self._closed or self._reported:
            return
        self._reported = True
        where = "; ".join(f"{button.cget('text')} at {button.winfo_rootx() + button.winfo_width() // 2},"
                          f"{button.winfo_rooty() + button.winfo_height() // 2}"
                          for button in (self.next_button, self.done_button, self.snooze_button, self.skip_button))
        log.info("guide window shown for prompt %s: %s", self._prompt["prompt"]["id"], where)

    def _load_frames(self) -> None:
        if self._closed or self._figure is None:
            return
        self._photos = [self._tk.PhotoImage(data=base64.b64encode(frame).decode()) for frame in frame_pngs(self._figure)]

    def _tick(self) -> None:
        if self._closed:
            return
        self._update()
        self.root.after(TICK_MS, self._tick)

    def _update(self) -> None:
        moment = self.session.moment(self._clock())
        self.headline.configure(text=moment.headline)
        self.counter.configure(text=_counter(moment, self.session.dose.reps))
        self.caption.configure(text=_caption(moment, self.session.dose.per_side))
        self.bar.coords(self._fill, 0, 0, 150 * moment.share, 8)
        completed = self.session.completed
        self.done_button.configure(text="Done" if moment.phase is Phase.FINISHED or not completed
                                   else f"Done ({completed} of {moment.sets} sets)")
        self.next_button.configure(text="Skip rest" if moment.phase is Phase.REST else "Set done",
                                   state="disabled" if moment.phase is Phase.FINISHED else "normal")
        if self._photos and moment.phase is Phase.SET:
            self.picture.configure(image=self._photos[int(moment.cycle * len(self._photos)) % len(self._photos)])
        elif self._still is not None:
            self.picture.configure(image=self._still)
        if self._sound and len(self.session.ended_sets) > self._sets_heard:
            self.root.bell()
        self._sets_heard = len(self.session.ended_sets)

    def _check_prompt(self) -> None:
        if self._closed or self._watch is None:
            return
        try:
            current = self._watch()
        except StandupError:
            current = None
        if current != self._prompt["prompt"]["id"]:
            log.info("the prompt was answered elsewhere; closing the break window")
            self.close()
            return
        self.root.after(WATCH_MS, self._check_prompt)

    # ---- answers ----------------------------------------------------------------------------
    def next_step(self) -> None:
        self.session.next(self._clock())
        self._update()

    def done(self) -> None:
        completed = self.session.completed
        self._send("done", {"sets": completed} if completed else {})

    def _send(self, command: str, args: dict[str, object]) -> None:
        try:
            self._answer(command, {**args, "prompt": self._prompt["prompt"]["id"]})
        except StandupError as exc:
            self.message.configure(text=str(exc))
            log.warning("guide %s: %s", command, exc)
            self.root.after(2500, self.close)
            return
        log.info("guide answered %s %s", command, args)
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.root.destroy()


def _caption(moment: Moment, per_side: bool) -> str:
    if moment.phase is Phase.FINISHED:
        return "every set done"
    if moment.phase is Phase.REST:
        return "rest"
    if moment.rep is not None:
        return "repetition, then the other side" if per_side else "repetition, follow the figure"
    return "left, both sides" if per_side else "left in this set"


def _counter(moment: Moment, reps: int | None) -> str:
    if moment.phase is Phase.FINISHED:
        return "✓"
    if moment.remaining is not None:
        minutes, seconds = divmod(moment.remaining, 60)
        return f"{minutes}:{seconds:02d}"
    return f"{moment.rep}/{reps}"
