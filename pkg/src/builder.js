// The callflow builders: a Send Callflow body or a VCA reply, one action per call. They only
// assemble JSON; `check()` asks the core (`validate`) what 8x8 will answer.

/**
 * The builder factories over `validate` (the core's, from makeApi).
 * @param {(input: unknown, options?: object) => object} validate
 */
export function makeBuilders(validate) {
  class Builder {
    /** @param {'callflow' | 'vca-reply'} kind @param {Record<string, unknown>} head */
    constructor(kind, head) {
      this.kind = kind;
      this.head = head;
      this.actions = [];
    }

    /** Appends one action (params copied, so later changes to the object do not leak in). */
    push(action, params) {
      this.actions.push(params === undefined ? { action } : { action, params: { ...params } });
      return this;
    }

    /** Places a call; a second makeCall bridges the new leg to the first one. */
    makeCall(params) {
      return this.push('makeCall', params);
    }

    /** Speaks a text into the call. */
    say(params) {
      return this.push('say', params);
    }

    /** Speaks a prompt and collects the digits the caller keys in. */
    sayAndCapture(params) {
      return this.push('sayAndCapture', params);
    }

    /** Plays an audio file (mp3 or wav) into the call. */
    playFile(params) {
      return this.push('playFile', params);
    }

    /** Ends every call of the session. */
    hangup() {
      return this.push('hangup');
    }

    /** The document: what to send (a fresh object each time). */
    build() {
      const body = {};
      for (const [key, value] of Object.entries(this.head)) {
        if (value !== undefined && value !== null) body[key] = value;
      }
      body.callflow = this.actions.map((a) => (a.params ? { ...a, params: { ...a.params } } : { ...a }));
      return body;
    }

    /** The core's Report of the document, with the status code 8x8 will answer. */
    check(options) {
      return validate(this.build(), { ...options, kind: this.kind });
    }

    /** The document, for `JSON.stringify(builder)`. */
    toJSON() {
      return this.build();
    }
  }

  /** A Send Callflow request body; `validUntil` as a Date, Unix milliseconds or a timestamp. */
  function sendCallflow(options) {
    let validUntil = options?.validUntil;
    if (validUntil instanceof Date || typeof validUntil === 'number') {
      const at = new Date(validUntil);
      if (Number.isNaN(at.getTime())) {
        throw new RangeError(`voicehook: validUntil: expected a valid Date or Unix milliseconds, got ${String(validUntil)}`);
      }
      validUntil = at.toISOString();
    }
    return new Builder('callflow', { validUntil });
  }

  /** The answer to a Voice Call Action webhook. */
  function vcaReply(options) {
    return new Builder('vca-reply', { clientActionId: options?.clientActionId });
  }

  return { sendCallflow, vcaReply };
}
