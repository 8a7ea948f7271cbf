"""A latency CDF drawn with Pillow, so the benchmark needs no plotting library."""

from PIL import Image, ImageDraw

# Nine curves: three sizes of three servers.
COLOURS = [(199, 0, 0), (0, 86, 137), (2, 169, 91), (250, 166, 26), (109, 49, 119), (18, 182, 207),
           (0, 0, 0), (140, 86, 75), (227, 119, 194)]  # fmt: skip


def cdf_png(series: dict[str, list[float]], path: str, title: str) -> None:
    width, height, margin = 1000, 620, 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    all_values = [v for values in series.values() for v in values]
    x_max = max(all_values) if all_values else 1.0
    plot_w, plot_h = width - 2 * margin, height - 2 * margin
    draw.rectangle([margin, margin, width - margin, height - margin], outline="black")
    draw.text((margin, 20), title, fill="black")
    for i in range(6):
        x = margin + plot_w * i / 5
        draw.line([x, height - margin, x, height - margin + 5], fill="black")
        draw.text((x - 15, height - margin + 10), f"{x_max * i / 5:.0f} ms", fill="black")
        y = height - margin - plot_h * i / 5
        draw.line([margin - 5, y, margin, y], fill="black")
        draw.text((15, y - 6), f"{i * 20}%", fill="black")
    for n, (label, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        ordered = sorted(values)
        if not ordered:
            continue
        step = max(1, len(ordered) // 2000)
        points = [
            (margin + plot_w * v / x_max, height - margin - plot_h * (i + 1) / len(ordered))
            for i, v in enumerate(ordered)
            if i % step == 0 or i == len(ordered) - 1
        ]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        draw.text((width - margin - 330, margin + 12 + 16 * n), f"- {label}", fill=colour)
    image.save(path)
