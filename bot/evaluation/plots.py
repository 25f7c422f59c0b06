"""The report's PNG charts (matplotlib with the Agg backend: no display on servers and in CI)."""
from pathlib import Path
from typing import Any, Dict, List, Optional


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def sets_chart(sets: Dict[str, Dict[str, Any]], previous: Optional[Dict[str, Dict[str, Any]]], out: Path) -> Path:
    """Horizontal bars: alarm recall (triage sets) or accuracy per set, beside the previous model's."""
    plt = _pyplot()
    keys = list(sets)
    labels = [sets[k]["label"] + (" (recall)" if sets[k]["kind"] == "triage" else " (accuracy)") for k in keys]
    values = [100 * sets[k]["value"] for k in keys]
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(keys) + 1.2))
    positions = list(range(len(keys)))[::-1]
    height = 0.38 if previous else 0.7
    bars = ax.barh([p + (height / 2 if previous else 0) for p in positions], values, height=height, color="#2b6cb0", label="current")
    if previous:
        old = [100 * previous[k]["value"] if k in previous else 0 for k in keys]
        ax.barh([p - height / 2 for p in positions], old, height=height, color="#a0aec0", label="previous")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)  # below: bars reach 100%
    for bar, value in zip(bars, values):
        ax.text(min(value, 99) - 1, bar.get_y() + bar.get_height() / 2, f"{value:.1f}%", va="center", ha="right", color="white", fontsize=8)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.axvline(90, color="#c53030", linewidth=0.8, linestyle="--")  # the 90% answer-accuracy requirement
    ax.set_title("Alarm recall / answer accuracy per set")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def confusions_chart(pairs: List[tuple], out: Path) -> Path:
    """The most frequent (true intent → predicted intent) confusions of the cross-validation."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.4 * max(len(pairs), 1) + 1.2))
    labels = [f"{a} → {b}" for a, b, _ in pairs][::-1]
    ax.barh(range(len(pairs)), [n for _, _, n in pairs][::-1], color="#dd6b20")
    ax.set_yticks(range(len(pairs)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel("test examples (all folds)")
    ax.set_title("Most confused intents in cross-validation")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
