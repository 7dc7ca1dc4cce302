"""Simple generated pictures for the demo: no stock photos, nothing copied."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw

from django.core.files.images import ImageFile

from wagtail.images import get_image_model


def _png(size, draw):
    picture = PILImage.new("RGB", size, (250, 248, 244))
    draw(ImageDraw.Draw(picture), size)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def illustration_png(colour, width=1200, height=675):
    """A soft banner: the article's colour with a few lighter circles."""

    def draw(canvas, size):
        w, h = size
        canvas.rectangle([0, 0, w, h], fill=colour)
        lighter = tuple(min(255, c + 35) for c in colour)
        for x, y, r in ((0.2, 0.35, 0.22), (0.7, 0.6, 0.3), (0.92, 0.15, 0.12)):
            canvas.ellipse([w * x - h * r, h * y - h * r, w * x + h * r, h * y + h * r], fill=lighter)

    return _png((width, height), draw)


def figure_png(colour, width=960, height=540):
    """A plain figure for inside an article body: three rounded bands, like steps."""

    def draw(canvas, size):
        w, h = size
        for row in range(3):
            shade = tuple(max(0, c - 25 * row) for c in colour)
            top = h * (0.12 + row * 0.28)
            canvas.rounded_rectangle([w * 0.1, top, w * 0.9, top + h * 0.2], radius=h * 0.06, fill=shade)

    return _png((width, height), draw)


def portrait_png(colour, size=400):
    """A head-and-shoulders silhouette, standing in for a physician's photo."""

    def draw(canvas, dims):
        s = dims[0]
        canvas.rectangle([0, 0, s, s], fill=tuple(min(255, c + 60) for c in colour))
        canvas.ellipse([s * 0.32, s * 0.16, s * 0.68, s * 0.52], fill=colour)
        canvas.ellipse([s * 0.14, s * 0.58, s * 0.86, s * 1.2], fill=colour)

    return _png((size, size), draw)


def get_or_create_image(title, description, filename, png_bytes):
    """The image with this title, created from ``png_bytes`` when there is none.

    Returns:
        A ``(image, created)`` pair, like ``get_or_create``.
    """
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image, False
    image = Image(title=title, description=description)
    image.file = ImageFile(io.BytesIO(png_bytes), name=filename)
    image.save()
    return image, True
