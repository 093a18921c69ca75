/**
 * FAVICON_SVG (pages.ts) as a 32 × 32 PNG, drawn by `node scripts/favicon-png.mjs`. A page's icon is decoded in
 * its renderer: an SVG icon builds a whole SVG document on the page's main thread (20-odd ms on a cold phone-class
 * CPU, in the middle of the widget's first paint), a PNG is a small image decode.
 */
export const FAVICON_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAACaklEQVR4nOyXz2sTQRTHvzM7aWgqtF5SqlChVC/aIl70D5AG6ykteGhFi3iSgngRQREET14EKeLBg5f4A4xBUPoD/4B6kdLaiy1FBJUGhBQkdfNrnLfLttv90WSbdreHfi6zmfd23zcz7z1mBOyM5ToS5eot9XSOMXZajUnsDnkp5ZwaZ4sx7TFepAuWgVkPidHcBaD2nDEcwR4iJX4B/Hoxk57cENA28jYFzqYQIlLyQRLBMPLhcILri0pJF0KEVqJYqvaJVqZfDTs4QVvd2qJdEVwlHCKCYgtJGe9hHDp7FPeGT+JE1yGX7dvvv3iYXcS7zz8D+9qh2FwtxTGP+L4fJGie7DvxtUOxBXzw+6CXPYivE46IORCwfwVQ+WyH3R7Et2EBVLt+L1q1vRNfJ6ztclYiQgR2iURcQ193O1rE5qKWKjUs/FhDUa8isIAg7fXm4HE8uHQKQnM39UpV4v6br3gyueQZx3cLvjwa2LaDkYgzt2eQbI9jZeIiPs2vYmJ6GXp589/GYxrGU70439+JnvGPyK/pru803Yp7kub4dGbZEOGEq0UxBCi/QAIaJSbMZV8vee+zNW/5uQQiYiIX0PQWlCtmDqvjlafdmrf8GhZAWV6vCoiVvDneGOhFTcVwVgHN2/3cAiRW1eG802mgOq/XBwjK7LuvFow+QNnuhPrAncy8ZwVQbJYYzU6po1EKTUKdsL+7Y0u21+uE6mg+LSSTcwysaQEUZHbpT6B3KDaXFe2Zei4gfAoUm/97nf6ukucaQkbW2BjFNvrAemY4R3c18+K4x4FVDONe+HLoPf3e2h8juJ7/BwAA//+LbY8CAAAABklEQVQDAEyJHemv/pokAAAAAElFTkSuQmCC';
