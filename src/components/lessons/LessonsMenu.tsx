/**
 * The "Lessons" button in the top bar and its menu: one item per lesson, numbered like its shortcut (1–9, then 0).
 * Keyboard: the menu opens with Enter/Space/↓ on the button, focuses its first item; ↑/↓ (and Home/End)
 * move, Tab moves too and leaving the menu closes it, Escape closes it and gives the focus back.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useViewStore } from '../../store/view';
import { LESSONS, lessonKey, lessonKeysLabel } from './lessons';
import { openLesson } from './openLesson';

export function LessonsMenu() {
  const [open, setOpen] = useState(false);
  const current = useViewStore((s) => s.lesson);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = () => Array.from(wrap.current?.querySelectorAll<HTMLButtonElement>('[data-lesson]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const away = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      e.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    // A digit opens that lesson (the page's shortcut): the menu has done its job.
    if (/^[0-9]$/.test(e.key)) setOpen(false);
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
  };

  return (
    <div
      className="lessons-menu"
      ref={wrap}
      onBlur={(e) => {
        if (open && !wrap.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="btn"
        data-testid="open-lessons"
        aria-haspopup="menu"
        aria-expanded={open}
        title={`Lessons: one click sets up an experiment and opens the view that shows it (keys ${lessonKeysLabel(LESSONS.length)})`}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        Lessons <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div
          className="lessons-popover"
          role="menu"
          aria-label="Lessons"
          data-testid="lessons"
          onKeyDown={onMenuKey}
        >
          {LESSONS.map((l, i) => (
            <button
              key={l.id}
              type="button"
              role="menuitem"
              className="lesson-item"
              data-lesson={l.id}
              aria-current={l.id === current ? 'true' : undefined}
              aria-keyshortcuts={lessonKey(i) ?? undefined}
              onClick={() => {
                close(false);
                openLesson(l);
              }}
            >
              <kbd>{lessonKey(i) ?? ''}</kbd>
              <span>{l.title}</span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
