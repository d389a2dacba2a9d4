// JSON calls to the annotation endpoints, with the CSRF token and plain-words errors.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

export async function call(method, url, body) {
  const options = { method, headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new Error("The workspace could not be reached. Check your connection and try again.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `The workspace answered ${response.status}.`);
  return data;
}

export const splitTags = (value) => value.split(",").map((t) => t.trim()).filter(Boolean);
