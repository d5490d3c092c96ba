"""plot_svg.py: the two kinds of chart bench/paper.sh draws, as plain SVG (no plotting library; deterministic bytes
for the same data). Used by bench/paper_report.py.

line_chart: x-y lines with markers and optional vertical error bars (lo, hi), linear or log x axis.
dot_panels: one row per category, side-by-side panels, each a dot with an optional horizontal range bar.
"""
import math

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def _esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _nice_ticks(lo, hi, n=6):
    """Round tick values covering [lo, hi]."""
    span = hi - lo if hi > lo else 1.0
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    t = math.ceil(lo / step - 1e-9) * step
    out = []
    while t <= hi + 1e-9 * span:
        out.append(round(t, 10))
        t += step
    return out


def _fmt(v):
    return ("%.6g" % v) if abs(v - round(v)) > 1e-9 else "%d" % round(v)


class _Svg:
    def __init__(self, w, h):
        self.w, self.h, self.parts = w, h, []

    def add(self, s):
        self.parts.append(s)

    def text(self, x, y, s, size=12, anchor="middle", rotate=None, weight="normal", color="#000"):
        tr = ' transform="rotate(%d %.1f %.1f)"' % (rotate, x, y) if rotate else ""
        self.add('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" font-weight="%s" fill="%s" %s%s>%s</text>'
                 % (x, y, size, anchor, weight, color, FONT, tr, _esc(s)))

    def line(self, x1, y1, x2, y2, color="#000", width=1.0, dash=None):
        d = ' stroke-dasharray="%s"' % dash if dash else ""
        self.add('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"%s/>'
                 % (x1, y1, x2, y2, color, width, d))

    def save(self, path):
        with open(path, "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">\n'
                    % (self.w, self.h, self.w, self.h))
            f.write('<rect width="100%" height="100%" fill="#fff"/>\n')
            for p in self.parts:
                f.write(p + "\n")
            f.write("</svg>\n")


def line_chart(path, title, xlabel, ylabel, series, xlog=False, xticks=None, yrange=None, width=760, height=480,
               note=None, legend_width=200):
    """series: list of dicts {label, points: [(x, y, lo, hi)] (lo/hi may be None), dash (optional)}."""
    L, R, T, B = 70, legend_width, 50, 60 + (18 if note else 0)
    pw, ph = width - L - R, height - T - B
    xs = [p[0] for s in series for p in s["points"]]
    ys = [v for s in series for p in s["points"] for v in (p[1], p[2], p[3]) if v is not None]
    if not xs:
        raise ValueError("line_chart %s: no data" % path)
    fx = (lambda v: math.log10(v)) if xlog else (lambda v: v)
    x0, x1 = fx(min(xs)), fx(max(xs))
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    pad = (x1 - x0) * 0.04
    x0, x1 = x0 - pad, x1 + pad
    if yrange:
        y0, y1 = yrange
    else:
        y0, y1 = min(ys), max(ys)
        m = (y1 - y0) * 0.08 or 1.0
        y0, y1 = y0 - m, y1 + m
    X = lambda v: L + (fx(v) - x0) / (x1 - x0) * pw
    Y = lambda v: T + ph - (v - y0) / (y1 - y0) * ph
    g = _Svg(width, height)
    g.text(width / 2 - R / 2 + L / 2, 28, title, size=15, weight="bold")
    g.add('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#000"/>' % (L, T, pw, ph))
    for t in _nice_ticks(y0, y1):
        if y0 <= t <= y1:
            g.line(L, Y(t), L + pw, Y(t), color="#ddd")
            g.text(L - 6, Y(t) + 4, _fmt(t), size=11, anchor="end")
    if xticks is None:
        xticks = sorted(set(xs))
    for t in xticks:
        g.line(X(t), T + ph, X(t), T + ph + 5)
        g.line(X(t), T, X(t), T + ph, color="#eee")
        g.text(X(t), T + ph + 18, _fmt(t), size=11)
    g.text(L + pw / 2, T + ph + 40, xlabel, size=12)
    g.text(18, T + ph / 2, ylabel, size=12, rotate=-90)
    if note:
        g.text(L, height - 8, note, size=10, anchor="start", color="#444")
    for i, s in enumerate(series):
        c = s.get("color", COLORS[i % len(COLORS)])
        pts = sorted(s["points"])
        dash = s.get("dash")
        for a, b in zip(pts, pts[1:]):
            g.line(X(a[0]), Y(a[1]), X(b[0]), Y(b[1]), color=c, width=1.8, dash=dash)
        for (x, y, lo, hi) in pts:
            if lo is not None and hi is not None:
                g.line(X(x), Y(lo), X(x), Y(hi), color=c, width=1.2)
                g.line(X(x) - 4, Y(lo), X(x) + 4, Y(lo), color=c, width=1.2)
                g.line(X(x) - 4, Y(hi), X(x) + 4, Y(hi), color=c, width=1.2)
            g.add('<circle cx="%.1f" cy="%.1f" r="3.2" fill="%s"/>' % (X(x), Y(y), c))
        ly = T + 10 + 20 * i
        g.line(L + pw + 14, ly, L + pw + 40, ly, color=c, width=2, dash=dash)
        g.text(L + pw + 46, ly + 4, s["label"], size=11, anchor="start")
    g.save(path)


def dot_panels(path, title, rows, panels, width=900, row_h=24, note=None):
    """rows: category labels (top to bottom). panels: list of dicts {title, values: [(mean, lo, hi) or None per row],
    range: (lo, hi) or None, color, fmt (the printf format of the value labels)}."""
    L, T, B, gap = 250, 60, 50 + (18 if note else 0), 30
    height = T + B + row_h * len(rows)
    pw = (width - L - 20 - gap * (len(panels) - 1)) / len(panels)
    g = _Svg(width, height)
    g.text(width / 2, 26, title, size=15, weight="bold")
    ph = row_h * len(rows)
    for r, lab in enumerate(rows):
        y = T + row_h * (r + 0.5)
        g.text(L - 8, y + 4, lab, size=11, anchor="end")
        if r % 2 == 0:
            g.add('<rect x="%d" y="%.1f" width="%d" height="%d" fill="#f4f4f4"/>' % (L, T + row_h * r, width - L - 20,
                                                                                      row_h))
    for i, p in enumerate(panels):
        px = L + i * (pw + gap)
        vals = [v for v in p["values"] if v is not None]
        flat = [x for v in vals for x in v if x is not None]
        if p.get("range"):
            a, b = p["range"]
        else:
            a, b = (min(flat), max(flat)) if flat else (0.0, 1.0)
            m = (b - a) * 0.1 or 0.5
            a, b = a - m, b + m
        X = lambda v: px + (v - a) / (b - a) * pw
        g.add('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="none" stroke="#000"/>' % (px, T, pw, ph))
        for t in _nice_ticks(a, b, 5):
            if a <= t <= b:
                g.line(X(t), T, X(t), T + ph, color="#ccc")
                g.text(X(t), T + ph + 16, _fmt(t), size=10)
        g.text(px + pw / 2, T - 10, p["title"], size=12, weight="bold")
        c = p.get("color", COLORS[i % len(COLORS)])
        for r, v in enumerate(p["values"]):
            if v is None:
                continue
            y = T + row_h * (r + 0.5)
            mean, lo, hi = v
            if lo is not None and hi is not None:
                g.line(X(lo), y, X(hi), y, color=c, width=2)
            g.add('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>' % (X(mean), y, c))
            g.text(X(mean), y - 6, p.get("fmt", "%.3g") % mean, size=9, color="#333")
    if note:
        g.text(L, height - 8, note, size=10, anchor="start", color="#444")
    g.save(path)
